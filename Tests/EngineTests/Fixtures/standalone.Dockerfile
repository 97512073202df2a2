ARG BASE_IMAGE

# Stage 1: compile CPython into /root/python3.11. A static libpython keeps the result
# relocatable, so it still works once copied to another folder.
FROM python:3.11-slim-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates wget gcc make libc6-dev \
        zlib1g-dev libssl-dev libffi-dev libbz2-dev liblzma-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
RUN wget -q https://www.python.org/ftp/python/3.11.9/Python-3.11.9.tgz \
    && tar xzf Python-3.11.9.tgz
WORKDIR /build/Python-3.11.9
RUN ./configure --prefix=/root/python3.11 \
    && make -j"$(nproc)" \
    && make install \
    && rm -rf /build

# Stage 2: the user's image with that Python under /root/python3.11 and swerex-remote on PATH.
FROM $BASE_IMAGE
COPY --from=builder /root/python3.11 /root/python3.11
RUN /root/python3.11/bin/python3 --version
RUN /root/python3.11/bin/python3 -m pip install --no-cache-dir swe-rex
RUN mkdir -p /usr/local/bin \
    && ln -sf /root/python3.11/bin/swerex-remote /usr/local/bin/swerex-remote
RUN swerex-remote --help >/dev/null
