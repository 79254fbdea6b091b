"""Training a small MLP epoch by epoch with torch.optim, one frame every ``frame_every`` epochs.

The loop (``nn_model.Trainer``) is the plain PyTorch one (shuffle with ``torch.randperm(generator=...)``, mini-batches,
``zero_grad`` / ``backward`` / ``step``, the schedule stepped per epoch); frames only read the model in
``eval`` mode under ``no_grad``, so they never change what training does (the test checks the loss
against a reference loop to 1e-6). Shapes: ``X_*`` (n, d_in) features, ``y`` (n,) labels or targets,
``grid`` (g·g, d_in) the input plane for the boundary, ``thumbs`` (t·t, d_in) the one for neuron thumbnails.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from typing import Any

import numpy as np
import torch

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import fixed, num, percent, plural
from app.engines.nn_model import Data, TrainConfig, Trainer

__all__ = ["Data", "TrainConfig", "frame_epochs", "run"]

MAX_FRAMES = 200
EXPLODED = 1e6


def frame_epochs(epochs: int, frame_every: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """Epochs that get a frame: 0, every ``frame_every``-th, and the last; thinned to ≤ ``max_frames``."""
    every = max(frame_every, math.ceil(epochs / (max_frames - 1)))
    marks = list(range(0, epochs + 1, every))
    if marks[-1] != epochs:
        marks.append(epochs)
    return marks


UNBOUNDED = ("linear", "relu", "leaky_relu", "elu", "gelu")
NAMES = {
    "linear": "linear",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "gelu": "GELU",
}


def _acc(v: float | None) -> str:
    return "n/a" if v is None else percent(v)


def _times(x: float) -> str:
    """A ratio for "N× smaller": "787", "10,000", "1.35×10^14" (separators up to a million, then powers)."""
    return f"{x:,.0f}" if 100 <= x < 1e6 else num(x, 3)


def _layers(idx: Sequence[int]) -> str:
    return f"layer {idx[0]}" if len(idx) == 1 else "layers " + ", ".join(str(i) for i in idx)


def _gradient_note(
    norms: Sequence[float],
    stats: Sequence[dict[str, float]],
    zero: Sequence[bool],
    same_out: bool,
    activation: str,
    where: str,
) -> tuple[str, str]:
    """(key, sentence) on how the weight gradient changes from the output layer back to layer 1. ``where``
    says which gradient it is ("on the whole training set", "in the last step"); ``zero`` per weight layer:
    all its weights are 0; ``same_out``: the output layer's rows (one per class, ≥ 2) are identical."""
    if len(norms) < 2:
        return "", ""
    if all(n == 0 for n in norms):
        return "all-zero", f" Every weight's gradient is exactly 0 {where}, so no weight changes."
    first, last = norms[0], norms[-1]
    if first == 0:
        later = [i + 1 for i in range(1, len(zero)) if zero[i]]
        flat = [i + 1 for i, s in enumerate(stats) if s["saturated"] >= 1.0 or s["dead"] >= 1.0]
        if later:
            why = f"the weights of {_layers(later[:1])} are all 0, so no gradient flows back through them"
        elif same_out:
            why = (
                "every class has the same output weights, so the pulls of the class scores cancel exactly on "
                "their way back"
            )
        elif flat:
            why = (
                f"every {NAMES[activation]} neuron of {_layers(flat[:1])} sits where its slope is (almost) 0 "
                "on the training points, so no gradient passes back through it"
            )
        else:
            why = (
                "no gradient gets back to it, typically because the neurons on the way have slope 0 for these "
                f"points ({'a ReLU below 0' if activation == 'relu' else 'saturated ends'})"
            )
        return "zero", f" The first layer's gradient is exactly 0 {where}: {why}. Layer 1 gets no update from it."
    if len(norms) < 3 or last == 0:
        return "", ""
    ratio = first / last
    if ratio < 0.01:
        return "vanish", (
            f" The first layer's gradient is {_times(1 / ratio)}× smaller than the output layer's "
            f"{where}: the gradient vanishes on its way back, so the early layers learn slowly."
        )
    if ratio > 100:
        return "explode", (
            f" The first layer's gradient is {_times(ratio)}× the output layer's {where}: the "
            "gradient explodes on its way back, so the early layers take the largest steps."
        )
    return "", ""


def _symmetry_note(identical: Sequence[bool], widths: Sequence[int], init: str) -> tuple[str, str]:
    same = [i + 1 for i, v in enumerate(identical) if v]
    if not same:
        return "", ""
    listed = ", ".join(str(i) for i in same[:-1]) + f" and {same[-1]}"
    who = (
        f"All {plural(widths[same[0] - 1], 'neuron')} of layer {same[0]} are"
        if len(same) == 1
        else f"In each of layers {listed}, all neurons are"
    )
    start = f", as {init} init made them" if init in ("zeros", "constant") else ""
    return "symmetric", (
        f" {who} identical (same incoming weights and bias{start}): identical neurons get "
        "identical gradients, so training can never tell them apart and a layer works like one "
        "neuron. This is the symmetry problem; random init (e.g. Xavier) breaks it."
    )


def _dead_note(stats: Sequence[dict[str, float]]) -> tuple[str, str]:
    worst = max(range(len(stats)), key=lambda i: stats[i]["dead"], default=None)
    if worst is None or stats[worst]["dead"] < 0.5:
        return "", ""
    return f"dead{worst}", (
        f" {percent(stats[worst]['dead'])} of layer {worst + 1}'s neurons are dead: their "
        "output is the same for every training point, so they pass no information on."
    )


def _trend(epochs_seen: Sequence[int], losses: Sequence[float], epochs: int) -> str:
    """How the train loss moved over about the last tenth of the run, measured against its starting value
    (mini-batch noise at a tiny loss is not "rising"), from the frames' own numbers."""
    window = max(1, epochs // 10)
    j = max((i for i, e in enumerate(epochs_seen) if e <= epochs - window), default=0)
    start, old, new, span = losses[0], losses[j], losses[-1], epochs - epochs_seen[j]
    scale = max(abs(start), 1e-12)
    moved = f"({num(old)} → {num(new)} over the last {plural(span, 'epoch', 'epochs')})"
    change = (old - new) / scale
    if change > 0.005:
        text = f"the train loss was still falling {moved}, so more epochs may lower it further"
    elif change < -0.005:
        text = f"the train loss rose at the end {moved}"
    else:
        text = f"the train loss has levelled off {moved}"
    if new > 1.05 * start:
        text += f"; it ended above where it started ({num(start)} at epoch 0)"
    elif abs(start - new) < 0.05 * scale:  # a slow crawl or no movement: "levelled off" would mislead
        text = f"the train loss barely moved over the whole run ({num(start)} → {num(new)})"
        if change > 0.001:
            text += ", though it was still falling slowly at the end"
    return text


def _ending(data: Data, ev: dict[str, Any], history: dict[str, list[Any]], epochs: int) -> str:
    """How the run ended, judged against the trivial model: chance level, or the mean target."""
    trend = _trend(history["epoch"], history["train_loss"], epochs)
    if data.n_classes:
        chance = _chance(data)
        acc = ev["test_accuracy"]
        train_chance = float(np.mean(data.y_train == np.bincount(data.y_train.astype(np.int64)).argmax()))
        if acc <= chance + 0.02 and ev["train_accuracy"] <= train_chance + 0.02:
            return (
                f" It is stuck at chance: test accuracy {percent(acc)} is no better than always answering the "
                f"most common class ({percent(chance)}); {trend}."
            )
        if acc <= chance + 0.02:
            return (
                f" Test accuracy {percent(acc)} is no better than always answering the most common class "
                f"({percent(chance)}), though it is {percent(ev['train_accuracy'])} on the training points; "
                f"{trend}."
            )
        return (
            f" Test accuracy {percent(acc)} against {percent(chance)} for always answering the most common "
            f"class; {trend}."
        )
    baseline = float(np.mean((data.y_test - data.y_train.mean()) ** 2))
    if baseline <= 0:
        return f" {trend[0].upper()}{trend[1:]}."
    r2 = 1 - ev["test_loss"] / baseline
    if r2 <= 0.05:
        return (
            f" It learned nothing useful: test MSE {num(ev['test_loss'])} is no better than always predicting "
            f"the mean training target ({num(baseline)}); {trend}."
        )
    return (
        f" Test MSE {num(ev['test_loss'])} against {num(baseline)} for always predicting the mean training "
        f"target (R² = {fixed(r2, 3)}); {trend}."
    )


def _overfits(train_acc: float, test_acc: float, n_train: int, n_test: int) -> bool:
    """Train accuracy above test accuracy by more than 10 points and by more than twice the standard error of
    the difference (a gap the size of sampling noise on a few test points is not overfitting)."""
    se = math.sqrt(train_acc * (1 - train_acc) / n_train + test_acc * (1 - test_acc) / n_test)
    return train_acc - test_acc > max(0.1, 2 * se)


def _chance(data: Data) -> float:
    """Test accuracy of always answering the training set's most common class (labels are 0..K-1)."""
    return float(np.mean(data.y_test == np.bincount(data.y_train.astype(np.int64)).argmax()))


def _diverged_caption(
    epoch: int,
    blowup: tuple[str, int | None],
    n_layers: int,
    *,
    worst: float,
    start: float,
    lr: float,
    l2: float,
    optimizer: str,
    activation: str,
    init: str,
) -> str:
    """What blew up, where, and why (the L2 overshoot, or steps too large for this activation and init)."""
    what, layer = blowup
    before = f"; the mini-batch before had loss {num(worst)}" if what == "loss" and math.isfinite(worst) else ""
    name = "the output layer" if layer == n_layers else f"layer {layer}"
    thing = {
        "loss": "the training loss",
        "gradient": f"the gradient of {name}'s weights",
        "weights": f"{name}'s weights",
        "activations": f"hidden layer {layer}'s outputs",
        "outputs": "the network's outputs",
    }.get(what, "the training loss")
    if what == "exploded":
        broke = f"the training loss exploded to {num(worst)} (it started at {num(start)})"
    else:
        broke = f"{thing} became NaN or infinite, beyond the range of 32-bit floats{before}"
    if epoch == 0:
        return (
            f"The untrained network already overflows: {broke}. With {init} init every layer multiplies the "
            "signal; try Xavier or He init, or fewer layers."
        )
    caption = f"Training diverged at epoch {epoch}: {broke}. "
    factor = 1 - 2 * lr * l2
    if l2 > 0 and optimizer in ("sgd", "momentum", "nesterov") and factor < -1:
        return caption + (
            f"With lr {num(lr)} and L2 {num(l2)}, each step multiplies every weight by 1 − 2·lr·L2 = {num(factor, 3)}: "
            "the L2 pull overshoots zero and the weights grow and flip sign. TensorFlow Playground says 'you can't "
            f"break it', but this breaks it. Try a learning rate below {num(1 / (2 * l2), 2)} or a smaller L2."
        )
    step = (
        f"Adam moves every weight by up to about lr = {num(lr)} per step, far too much"
        if optimizer == "adam"
        else f"Steps of lr {num(lr)} are too large"
    )
    caption += f"{step}: the steps overshoot the minimum and the weights grow until the numbers overflow."
    if activation in UNBOUNDED:
        caption += f" {NAMES[activation]} outputs are unbounded, so nothing caps them as the weights grow"
        caption += (
            f", and {init} init (weights of size about 1 at any width) already amplifies the signal at every layer."
            if init in ("normal", "uniform", "constant")
            else "."
        )
    tips = [f"a smaller learning rate (e.g. {num(lr / 10)})"]
    if activation in UNBOUNDED and not init.startswith("he"):
        tips.append("He init")
    if optimizer != "adam":
        tips.append("Adam")
    tips.append("batch normalisation")
    return caption + " Try " + ", ".join(tips[:-1]) + f" or {tips[-1]}."


def run(
    data: Data,
    config: TrainConfig,
    *,
    frame_every: int,
    shown: int,
    rng: np.random.Generator,
    dtype: torch.dtype = torch.float32,
    requested_batch_size: int | None = None,
) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``init`` (epoch 0), ``epoch`` …, then ``done`` (or ``diverged``). ``config.loss`` is resolved
    (``cross_entropy`` or ``mse``) and ``config.batch_size`` at most the training rows (``requested_batch_size``
    is what the learner asked for, when it was clamped). ``shown``: neurons per hidden layer whose weights and
    thumbnails the frames carry (the view's drawing size). Randomness: three torch generators seeded from ``rng``."""
    t = Trainer(config, data, rng=rng, shown=shown, dtype=dtype)
    hidden_layers, activation, init, epochs = config.hidden_layers, config.activation, config.init, config.epochs
    lr, l2, optimizer, schedule, batch_size = config.lr, config.l2, config.optimizer, config.schedule, config.batch_size
    marks = set(frame_epochs(epochs, frame_every))
    history: dict[str, list[Any]] = {
        "epoch": [],
        "train_loss": [],
        "test_loss": [],
        "train_accuracy": [],
        "test_accuracy": [],
        "grad_norms": [],
    }
    widths = "-".join(str(w) for w in [data.X_train.shape[1], *hidden_layers, t.model.weights[-1].shape[0]])
    n_params = sum(p.numel() for p in t.model.parameters())
    n_train, n_layers = data.X_train.shape[0], len(t.model.weights)
    epoch, previous, start = 0, (0, math.nan), math.nan
    ev: dict[str, Any] = {}
    last_visual: dict[str, Any] = {}
    said: tuple[str, ...] = ()  # the notes of the last frame
    blowup: tuple[str, int | None] | None = None
    good = t.parameters_copy()
    t.full_batch_gradients()
    for epoch in range(epochs + 1):
        checkpoint()  # and per mini-batch inside ``t.epoch()``: a frame may span 2,000 epochs
        if epoch > 0:
            t.epoch()
            blowup = t.blowup()
            if blowup is None and t.worst_objective > max(EXPLODED, 1e3 * start):
                blowup = ("exploded", None)
        if epoch not in marks and blowup is None:
            continue
        if blowup is None:
            ev = t.evaluate()
            blowup = ev.get("blowup")
            if blowup is None and epoch > 0 and ev["train_loss"] > max(EXPLODED, 1e3 * start):
                blowup = ("exploded", None)
        if blowup is not None:
            worst = t.worst_objective if math.isfinite(t.worst_objective) else t.last_finite
            caption = _diverged_caption(
                epoch,
                blowup,
                n_layers,
                worst=worst,
                start=start,
                lr=lr,
                l2=l2,
                optimizer=optimizer,
                activation=activation,
                init=init,
            )
            gone: dict[str, Any] = {
                "epoch": epoch,
                "train_loss": None,
                "test_loss": None,
                "train_accuracy": None,
                "test_accuracy": None,
                "grad_norms": None,
                "weights": None,
                "activation_stats": None,
                "diverged": True,
                "diverged_what": blowup[0],
                "diverged_layer": blowup[1],
            }
            # The picture stays on the last good frame (its visual), so the learner sees where it broke from.
            yield Frame("diverged", caption, gone, {}, visual=last_visual)
            break
        norms = t.grad_norms()
        identical = t.identical_neurons()
        history["epoch"].append(epoch)
        for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            history[key].append(math.nan if ev[key] is None else ev[key])
        history["grad_norms"].append(norms)
        state: dict[str, Any] = {
            "epoch": epoch,
            "lr": float(t.opt.param_groups[0]["lr"]),
            "batch_size": batch_size,
            "train_loss": ev["train_loss"],
            "test_loss": ev["test_loss"],
            "grad_norms": norms,
            "weights": t.shown_weights(),
            "activation_stats": ev["activation_stats"],
            "identical_neurons": identical,
        }
        metrics = {"train_loss": ev["train_loss"], "test_loss": ev["test_loss"]}
        if t.classify:
            state.update(train_accuracy=ev["train_accuracy"], test_accuracy=ev["test_accuracy"])
            metrics.update(train_accuracy=ev["train_accuracy"], test_accuracy=ev["test_accuracy"])
        acc = f", test accuracy {_acc(ev['test_accuracy'])}" if t.classify else ""
        if epoch == 0:
            kind, start = "init", ev["train_loss"]
            steps = math.ceil(n_train / batch_size)
            caption = (
                f"Epoch 0: a {widths} {NAMES[activation]} network ({plural(n_params, 'parameter')}, {init} "
                f"init) before training: train loss {num(ev['train_loss'])}{acc}"
            )
            if t.classify:
                caption += f" (always answering the most common class gets {percent(_chance(data))})."
            else:
                caption += f" (always predicting the mean target gives {num(float(np.var(data.y_train)))})."
            if requested_batch_size is not None and requested_batch_size > batch_size:
                caption += (
                    f" A batch size of {requested_batch_size} is more than the {plural(n_train, 'training point')}"
                    f", so each step uses all {n_train} (full-batch gradient descent)."
                )
            else:
                caption += (
                    f" {plural(n_train, 'training point')} in mini-batches of {batch_size}: "
                    f"{plural(steps, 'step')} per epoch."
                )
        else:
            span = epoch - previous[0]
            head = f"Epoch {epoch} of {epochs}" if span == 1 else f"Epochs {previous[0] + 1}–{epoch} of {epochs}"
            lr_now = f" (lr now {num(state['lr'], 3)})" if schedule != "constant" else ""
            caption = (
                f"{head}{lr_now}: train loss {num(previous[1])} → {num(ev['train_loss'])}, test loss "
                f"{num(ev['test_loss'])}{acc}."
            )
            if epoch == epochs:
                kind = "done"
                caption += _ending(data, ev, history, epochs)
                if t.classify and _overfits(ev["train_accuracy"], ev["test_accuracy"], n_train, len(data.y_test)):
                    caption += (
                        f" Train accuracy ({percent(ev['train_accuracy'])}) is well above test accuracy: "
                        "the network fits its training points better than new ones (overfitting)."
                    )
            else:
                kind = "epoch"
        hidden_widths = list(hidden_layers)
        notes = [
            _symmetry_note(identical, hidden_widths, init),
            _gradient_note(
                norms,
                ev["activation_stats"],
                t.zero_weight_layers(),
                t.same_output_rows(),
                activation,
                "on the whole training set" if epoch == 0 else "in the last step",
            ),
        ]
        if notes[0][0] == "":
            notes.append(_dead_note(ev["activation_stats"]))
        keys = tuple(k for k, _ in notes)
        if kind != "epoch" or keys != said:  # an unchanged note is said once, not on every frame
            caption += "".join(text for _, text in notes)
        said = keys
        previous = (epoch, ev["train_loss"])
        visual = dict(ev["visual"])
        visual["history"] = {k: np.array(v, dtype=np.float64) for k, v in history.items()}
        visual["weights"] = [w.copy() for w in state["weights"]]
        last_visual = visual
        good = t.parameters_copy()  # the result keeps the last finite parameters if a later step blows up
        yield Frame(kind, caption, state, metrics, visual=visual)
    diverged = blowup is not None
    return {
        "train_accuracy": None if diverged else ev.get("train_accuracy"),
        "test_accuracy": None if diverged else ev.get("test_accuracy"),
        "final_train_loss": None if diverged else ev.get("train_loss"),
        "final_test_loss": None if diverged else ev.get("test_loss"),
        "epochs_run": epoch,
        "diverged": diverged,
        "weights": good[0] if diverged else t.parameters_copy()[0],
        "biases": good[1] if diverged else t.parameters_copy()[1],
    }
