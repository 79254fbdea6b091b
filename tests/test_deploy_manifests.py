"""The deployment files are right without a cluster or a Docker daemon.

* ``deploy/k8s/*.yaml``: every resource validates against the Kubernetes JSON schemas (strict: unknown fields
  are errors) of the oldest and the newest version ``kubernetes-validate`` ships. Its schemas are files inside
  the package, so this runs offline (checked: a test runs it with sockets refused). Then what the schemas
  cannot say: readiness on ``/readyz``, liveness on ``/healthz``, the Service, HPA and Ingress point at what
  exists, the app finds Redis by its Service's name, Redis keeps nothing on disk.
* ``compose.yaml``: the class set-up parses and has its parts (replicas with ``STEPWISE_REDIS_URL`` and a
  ``/readyz`` healthcheck, Redis without persistence, an SSE-friendly nginx on port 8000).
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
OLDEST = "1.29"  # the oldest release still supported by the big managed offerings when this was written


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _resources() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        found += [(path.name, doc) for doc in _documents(path) if doc["kind"] != "Kustomization"]
    return found


RESOURCES = _resources()


def _one(kind: str, name: str) -> dict[str, Any]:
    matches = [doc for _, doc in RESOURCES if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"want one {kind} {name}, found {len(matches)}"
    return matches[0]


def _container(deployment: dict[str, Any], name: str) -> dict[str, Any]:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    return next(c for c in containers if c["name"] == name)


def _env(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("env", [])}


@pytest.mark.parametrize("version", [OLDEST, kubernetes_validate.latest_version()])
@pytest.mark.parametrize(("file", "resource"), RESOURCES, ids=[f"{f}:{r['kind']}" for f, r in RESOURCES])
def test_manifest_validates_against_the_kubernetes_schema(file: str, resource: dict[str, Any], version: str) -> None:
    try:
        kubernetes_validate.validate(resource, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        path = ".".join(str(p) for p in exc.path)
        pytest.fail(f"{file}: {resource['kind']} {resource['metadata']['name']}: {path}: {exc.message}")


def test_validation_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("kubernetes-validate opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for _, resource in RESOURCES:
        kubernetes_validate.validate(resource, OLDEST, strict=True)


def test_the_set_has_every_part() -> None:
    kinds = sorted((doc["kind"], doc["metadata"]["name"]) for _, doc in RESOURCES)
    for part in [
        ("Deployment", "stepwise"),
        ("Service", "stepwise"),
        ("HorizontalPodAutoscaler", "stepwise"),
        ("Deployment", "stepwise-redis"),
        ("Service", "stepwise-redis"),
        ("Ingress", "stepwise"),
    ]:
        assert part in kinds
    (kustomization,) = _documents(K8S / "kustomization.yaml")
    assert sorted(kustomization["resources"]) == sorted(
        p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml"
    )


def test_app_probes_resources_and_redis() -> None:
    deployment = _one("Deployment", "stepwise")
    assert deployment["spec"]["replicas"] >= 2
    app = _container(deployment, "stepwise")
    port = app["ports"][0]
    assert port["containerPort"] == 8000
    assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert app["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"]["port"] in (port["name"], port["containerPort"])
    resources = app["resources"]
    assert resources["requests"]["cpu"] and resources["limits"]["cpu"], "the HPA's CPU utilisation needs a request"
    assert _cores(resources["limits"]["cpu"]) <= 2, "sized for a 2-core box"
    redis_host = urlparse(_env(app)["STEPWISE_REDIS_URL"]).hostname
    redis_service = _one("Service", str(redis_host))
    redis = _one("Deployment", "stepwise-redis")
    assert _selects(redis_service, redis)


def test_service_hpa_and_ingress_point_at_the_app() -> None:
    deployment = _one("Deployment", "stepwise")
    service = _one("Service", "stepwise")
    assert _selects(service, deployment)
    target = service["spec"]["ports"][0]["targetPort"]
    assert target in [p.get("name") for p in _container(deployment, "stepwise")["ports"]] + [8000]

    hpa = _one("HorizontalPodAutoscaler", "stepwise")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "stepwise"}
    assert hpa["spec"]["minReplicas"] >= 2
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"] == ["cpu"]

    ingress = _one("Ingress", "stepwise")
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/proxy-buffering"] == "off", "SSE frames must not wait in a buffer"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 300
    backends = [p["backend"]["service"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    ports = [p["name"] for p in service["spec"]["ports"]] + [p["port"] for p in service["spec"]["ports"]]
    for backend in backends:
        assert backend["name"] == "stepwise"
        assert next(iter(backend["port"].values())) in ports


def test_redis_keeps_nothing_on_disk() -> None:
    redis = _container(_one("Deployment", "stepwise-redis"), "redis")
    args = redis["args"]
    assert args[args.index("--save") + 1] == ""
    assert args[args.index("--appendonly") + 1] == "no"
    assert "--maxmemory" in args
    volumes = _one("Deployment", "stepwise-redis")["spec"]["template"]["spec"].get("volumes", [])
    assert all("persistentVolumeClaim" not in v for v in volumes)
    assert not [doc for _, doc in RESOURCES if doc["kind"] == "PersistentVolumeClaim"]


def _selects(service: dict[str, Any], deployment: dict[str, Any]) -> bool:
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = service["spec"]["selector"]
    return all(labels.get(k) == v for k, v in selector.items()) and bool(selector)


def _cores(quantity: str | int) -> float:
    text = str(quantity)
    return int(text[:-1]) / 1000 if text.endswith("m") else float(text)


# --- compose.yaml -------------------------------------------------------------------------------------------


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return document


def test_compose_has_the_class_set_up() -> None:
    services = _compose()["services"]
    assert {"app", "redis", "lb"} <= set(services)
    app = services["app"]
    assert app["build"] == "." and app["deploy"]["replicas"] >= 2
    redis_url = urlparse(app["environment"]["STEPWISE_REDIS_URL"])
    assert redis_url.hostname == "redis" and redis_url.port == 6379
    assert "/readyz" in " ".join(app["healthcheck"]["test"])
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    command = services["redis"]["command"]
    assert command[command.index("--save") + 1] == "" and command[command.index("--appendonly") + 1] == "no"
    assert "volumes" not in services["redis"]
    lb = services["lb"]
    assert "8000:80" in lb["ports"]
    assert lb["depends_on"]["app"]["condition"] == "service_healthy"


def test_compose_nginx_is_sse_friendly() -> None:
    compose = _compose()
    (mount,) = compose["services"]["lb"]["configs"]
    conf = compose["configs"][mount["source"]]["content"]
    assert "proxy_pass $$app;" in conf and "set $$app http://app:8000;" in conf
    assert "proxy_buffering off;" in conf
    timeout = re.search(r"proxy_read_timeout (\d+)s;", conf)
    assert timeout is not None and int(timeout.group(1)) >= 300
    # compose interpolates `$NAME`: every nginx variable must be written `$$name`
    assert "$" not in conf.replace("$$", ""), "an unescaped $ in the nginx config"
