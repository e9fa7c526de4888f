# termpool: headless terminals as a service.
#
#   docker build -t termpool .
#   docker run --rm -p 7681:7681 -e TERMPOOL_TOKEN="$(openssl rand -hex 24)" termpool
#
# The image listens on 0.0.0.0:7681, so the server refuses to start without TERMPOOL_TOKEN.
# Every TERMPOOL_* setting (README, "Configuration") can be passed with -e.

# Node 24, the current LTS (package.json engines: 20.19+, 22.12+ or 24), on Debian 13 (trixie).
# ---- build: node-pty and better-sqlite3 from source (python3, make, g++), npm ci (prepare → tsc), then drop dev deps
FROM node:24-trixie AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp takes Node's headers from the image instead of downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.client.json ./
COPY bin ./bin
COPY ui ./ui
COPY src ./src
COPY bench ./bench
COPY test ./test
RUN npm ci --no-audit --no-fund \
 && test -f node_modules/node-pty/build/Release/pty.node \
 && test -f node_modules/better-sqlite3/build/Release/better_sqlite3.node \
 && test -f dist/src/cli/main.js \
 && npm prune --omit=dev --no-audit --no-fund \
 && test -f node_modules/dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf \
 && rm -rf dist/test dist/bench

# ---- runtime: Node, tini, a non-root user. No font packages: the PNG renderer's fonts are npm
# dependencies (src/render/font-packages.ts), kept by the prune above; their CJK slices are
# converted once into the OS temp dir (/tmp), which the node user can write.
FROM node:24-trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
# MALLOC_ARENA_MAX: glibc's per-thread arenas let pages freed on V8's helper threads strand
# memory; with 2 arenas RSS stays within 5% over 10,000 terminal lifecycles (BENCHMARKS.md, soak).
# MALLOC_MMAP_THRESHOLD_: a fixed threshold keeps every 128 KiB page an mmap of its own, returned
# when freed; glibc's dynamic one moves pages into the heap after the first free, where a burst's
# peak stays resident (src/malloc-tuning.ts: 1.80 → 0.56 MB a terminal, 590 → 187 MB after all go).
# 64 KiB rather than 128: pty read buffers and zlib's tables are mapped too, not holes in the heap.
# LANG: the image has no locale set, so programs in sessions ran in the C locale: vim showed
# UTF-8 text as bytes (✓ as `\342~\~S`), bash's line editing counted bytes. C.UTF-8 is built into
# Debian's libc-bin (no locales package). LC_ALL stays unset, so a session's own env can still set
# LANG or any LC_* for its program.
ENV NODE_ENV=production \
    LANG=C.UTF-8 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=65536 \
    TERMPOOL_HOST=0.0.0.0 \
    TERMPOOL_PORT=7681
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/bin ./bin
# The web viewer's pages and scripts, served as they are (src/routes/ui.ts).
COPY --from=build --chown=root:root /app/ui ./ui
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/node_modules ./node_modules
# The image's `node` user (uid 1000); sessions run as it and start in its home directory.
USER node
WORKDIR /home/node
EXPOSE 7681
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TERMPOOL_PORT||7681)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini is PID 1: it forwards SIGTERM/SIGINT to termpool (which kills every session's process
# group and exits 0) and reaps any orphan that escapes a session.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "/app/bin/termpool.js", "serve"]
