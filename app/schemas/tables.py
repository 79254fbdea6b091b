"""scikit-learn's bundled tables as dataset specs: one class per table, and its two-feature view.

* ``IrisTable``, ``WineTable``, ``BreastCancerTable``, ``DigitsTable``: the table with every column (PCA's
  datasets). Each is the one definition of its table's name, size and loader.
* ``IrisSpec``, ``WineSpec``, ``BreastCancerSpec``: the same table brought down to two features (``"pca"``
  or two picked columns) for the 2-D labs: the table's class plus ``TwoFeatureSpec``'s ``features`` and
  ``standardize`` fields and its ``load``; only their titles and descriptions (public API text) are their own.

A table's size is fixed, so its row-limit check is on its ``name``: ``{"name": "digits"}`` is refused
(naming the dataset and ``STEPWISE_MAX_POINTS``) when the context's ``max_points`` is below 1,797.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from app.core.limits import limits_in
from app.core.text import fmt_count
from app.datasets import Dataset, classic, multivariate
from app.schemas import fields
from app.schemas.common import check_rows, rows_message
from app.schemas.spec import DatasetSpec


class TableSpec(DatasetSpec):
    """A bundled table, every column kept. ``validate_default``: a defaulted name is checked too."""

    model_config = ConfigDict(validate_default=True)
    kind: ClassVar[Literal["generator", "classic"]] = "classic"

    @field_validator("name")
    @classmethod
    def _rows_within_limit(cls, name: str, info: ValidationInfo) -> str:
        limit = limits_in(info.context).max_points
        rows = multivariate.N_ROWS[name]
        check_rows(rows, limit, rows_message(f"{name} has {fmt_count(rows)} rows", limit))
        return name

    @property
    def n_rows(self) -> int:
        return multivariate.N_ROWS[self.name]

    def load(self) -> Dataset:
        X, y, columns, _ = multivariate.load_table(self.name)
        return Dataset(X=X, y=y, feature_names=columns, name=self.name)


class IrisTable(TableSpec):
    """Fisher's iris, all 4 measurements: 150 flowers of 3 species."""

    model_config = ConfigDict(title="Iris (4 features)")
    name: Literal["iris"] = fields.name("iris")


class WineTable(TableSpec):
    """Wine recognition, all 13 chemical measurements: 178 wines from 3 cultivars."""

    model_config = ConfigDict(title="Wine (13 features)")
    name: Literal["wine"] = fields.name("wine")


class BreastCancerTable(TableSpec):
    """Wisconsin breast cancer, all 30 features: 569 tumours, malignant or benign."""

    model_config = ConfigDict(title="Breast cancer (30 features)")
    name: Literal["breast_cancer"] = fields.name("breast_cancer")


class DigitsTable(TableSpec):
    """Handwritten digits 0–9 as 8×8 images: 1,797 samples × 64 pixel features (some pixels are always 0)."""

    model_config = ConfigDict(title="Digits (64 pixels)")
    name: Literal["digits"] = fields.name("digits")


_FEATURES_DESCRIPTION = (
    "'pca' (standardise, then the first two principal components) or two column indices, e.g. [0, 2] "
    "(in a query string: features=0,2)."
)


class TwoFeatureSpec(TableSpec):
    """A table reduced to two features. Put it after the table among the bases: ``class IrisSpec(IrisTable,
    TwoFeatureSpec)`` takes its ``name`` field from the table (pydantic reads a field from the first base that
    has it, and the discriminator needs the table's literal) and its ``load`` from here (the table has none of
    its own)."""

    features: Literal["pca"] | tuple[int, int] = Field(
        "pca", title="Features", description=_FEATURES_DESCRIPTION, json_schema_extra={"x-widget": "features"}
    )
    standardize: bool = Field(
        False, title="Standardise", description="Scale picked columns to zero mean, unit variance (PCA always does)."
    )

    @field_validator("features", mode="before")
    @classmethod
    def _parse_features(cls, v: Any) -> Any:
        """Accept ``"pca"``, ``"0,2"`` (query strings) or ``[0, 2]``."""
        if isinstance(v, str) and v.strip().lower() != "pca":
            parts = [p.strip() for p in v.split(",")]
            if len(parts) != 2 or not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("features must be 'pca' or two column indices like '0,2'")
            return (int(parts[0]), int(parts[1]))
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("features")
    @classmethod
    def _check_columns(cls, v: Literal["pca"] | tuple[int, int]) -> Any:
        if isinstance(v, tuple):
            name = cls.model_fields["name"].default
            d = multivariate.N_FEATURES[name]
            i, j = v
            if not (0 <= i < d and 0 <= j < d):
                raise ValueError(f"column indices must be in 0..{d - 1} for {name}, got {list(v)}")
            if i == j:
                raise ValueError(f"pick two different columns, got {list(v)}")
        return v

    def load(self) -> Dataset:
        X, y, names = classic.load_classic(self.name, self.features, standardize=self.standardize)
        return Dataset(X=X, y=y, feature_names=names, name=self.name)


class IrisSpec(IrisTable, TwoFeatureSpec):
    """Fisher's iris: 150 flowers, 3 species, 4 measurements (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Iris")


class WineSpec(WineTable, TwoFeatureSpec):
    """Wine recognition: 178 wines, 3 cultivars, 13 chemical measurements (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Wine")


class BreastCancerSpec(BreastCancerTable, TwoFeatureSpec):
    """Wisconsin breast cancer: 569 tumours, malignant (0) or benign (1), 30 features (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Breast cancer")
