# Stepwise — one image a teacher can run for a class.
#
#   docker build -t stepwise .
#   docker run --rm -p 8000:8000 stepwise            # then open http://127.0.0.1:8000
#
# Works on the official python image (the default) and on any Debian-like base that has
# python3, python3-venv and python3-pip: nothing below relies on the official image's own Python.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# CPU-only torch. Pinned: with a local wheel folder in pip's config this exact version installs
# without a download. Elsewhere, point pip at PyTorch's CPU wheel index, e.g.
#   --build-arg TORCH_EXTRA_INDEX_URL=<PyTorch CPU wheel index URL>
# so that pip does not pull the (multi-GB) CUDA build.
ARG TORCH_VERSION=2.13.0
ARG TORCH_EXTRA_INDEX_URL=""

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python3 -m venv /opt/venv \
 && pip install --upgrade pip \
 && pip install ${TORCH_EXTRA_INDEX_URL:+--extra-index-url "$TORCH_EXTRA_INDEX_URL"} "torch==${TORCH_VERSION}" \
 && python -c "import torch; assert not torch.version.cuda, 'CUDA torch was installed; want CPU-only'"

# Runtime dependencies, pinned (torch is pinned there too, so pip keeps the CPU build above).
WORKDIR /srv/stepwise
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt

COPY app/ ./app/
COPY templates/ ./templates/
COPY static/ ./static/

# numba compiles k-means' loops (app/engines/kmeans_kernels.py) at their first call: compile them here into a
# cache the server's user owns, so no worker pays it (on a CPU unlike the build machine's, numba recompiles once
# into the same directory).
ENV NUMBA_CACHE_DIR=/var/cache/stepwise/numba
RUN mkdir -p "$NUMBA_CACHE_DIR" && python -m app.engines.kmeans_kernels && chown -R 10001:10001 /var/cache/stepwise

RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin stepwise
USER 10001:10001

ENV STEPWISE_HOST=0.0.0.0 \
    STEPWISE_PORT=8000 \
    STEPWISE_WORKERS=2
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

# Shell form so that ${STEPWISE_WORKERS} can be overridden at `docker run -e`; exec keeps the
# server as PID 1 so it receives SIGTERM.
CMD exec python -m app serve --host 0.0.0.0 --port 8000 --workers ${STEPWISE_WORKERS:-2}
