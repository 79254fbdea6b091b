"""The early-stopping captions: each names its frame's losses and says why they move so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from app.core.text import plural

if TYPE_CHECKING:
    from app.engines.learning_curves_mlp import NetPlan


def _net(plan: NetPlan) -> str:
    layers = "layer" if plan.layers == 1 else "layers"
    return f"{plan.layers} hidden {layers} of {plan.width}"


def epoch_story(
    plan: NetPlan,
    epoch: int,
    train_loss: Sequence[float],
    val_loss: Sequence[float],
    best_epoch: int,
    waited: int,
    stopped: int | None,
    val_accuracy: Sequence[float],
) -> str:
    if epoch == 0:
        return (
            f"An untrained network ({_net(plan)}, random weights): the validation rows (hollow) are never trained "
            f"on, so their loss tells how it does on new data. Training runs {plural(plan.epochs, 'epoch')}; early "
            f"stopping with patience {plan.patience} watches the validation loss."
        )
    tr, va = train_loss[-1], val_loss[-1]
    head = (
        f"Epoch {epoch}: training loss {tr:.3f}, validation loss {va:.3f} (validation accuracy {val_accuracy[-1]:.0%})"
    )
    if stopped == epoch:
        return (
            f"{head}. {plural(plan.patience, 'epoch')} without a new lowest validation loss since epoch "
            f"{best_epoch}: early stopping would stop here and restore epoch {best_epoch}'s weights. Training goes "
            "on to show why."
        )
    if stopped is not None:
        lowest = min(val_loss[:best_epoch]) if best_epoch else va
        kept = f"{head}, against {lowest:.3f} at epoch {best_epoch}, the epoch early stopping kept"
        if tr < train_loss[best_epoch - 1] and va > lowest:
            return (
                f"{kept}. The training loss is down from {train_loss[best_epoch - 1]:.3f} there because the network "
                "memorises its own rows, noise included; the validation rows do not share that noise, so their "
                "loss stays above the one kept."
            )
        return f"{kept}: training on past the stop has not beaten it."
    if best_epoch == epoch:
        return (
            f"{head}: the lowest validation loss yet, so the network is still learning a shape the validation rows "
            "share."
        )
    before = train_loss[best_epoch - 1]
    trend = "while the training loss fell" if tr < before else "and the training loss did not fall either"
    return (
        f"{head}; the lowest validation loss is still epoch {best_epoch}'s, {waited} of {plan.patience} patience "
        f"epochs used, {trend} (from {before:.3f}). A validation loss that rises while the training loss falls is "
        "the start of overfitting."
    )


def restore_story(plan: NetPlan, result: Mapping[str, Any]) -> str:
    best, stopped = int(result["best_epoch"]), result["stopped_epoch"]
    kept, last = float(result["restored_val_loss"]), float(result["last_val_loss"])
    kept_acc, last_acc = float(result["restored_val_accuracy"]), float(result["last_val_accuracy"])
    if stopped is None:
        return (
            f"Patience {plan.patience} never ran out in {plural(plan.epochs, 'epoch')}, so early stopping keeps the "
            f"lowest validation loss, epoch {best}'s {kept:.3f}. Train longer (or use a wider net) to see "
            "overfitting set in."
        )
    return (
        f"Early stopping stopped at epoch {stopped} and restored epoch {best}: validation loss {kept:.3f} "
        f"(accuracy {kept_acc:.0%}) against {last:.3f} ({last_acc:.0%}) after all {plural(plan.epochs, 'epoch')}. "
        "Patience trades: a small one may stop on a noisy bump before the real minimum; a large one trains "
        f"{plural(plan.patience, 'epoch')} past it for nothing (the weights are restored anyway)."
    )
