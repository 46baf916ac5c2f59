# syntax=docker/dockerfile:1
#
# awardflow: one static binary; the image runs `awardflow server` (default) or
# `awardflow worker` (docker-compose.yml sets the command). It is the production build
# (-tags nodev): without `dev`, it links neither the embedded Temporal server nor the
# embedded S3 server (cmd/awardflow TestProductionBuildLinksNoDevServers).
#
# The builder's Go release must equal the go directive of go.mod (checked by
# internal/composecheck), and GOTOOLCHAIN=local stops a silent toolchain download.

FROM golang:1.26.8-trixie AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -tags nodev -ldflags="-s -w" -o /out/awardflow ./cmd/awardflow

# Debian slim rather than distroless: the healthcheck needs curl, and tzdata gives
# Asia/Ho_Chi_Minh for deadlines and document dates.
FROM debian:13.6-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin awardflow
COPY --from=build /out/awardflow /usr/local/bin/awardflow
USER 10001:10001
ENV AWARDFLOW_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/awardflow"]
CMD ["server"]
