# fatora-mock: an offline mock of Fatora's API. Two stages on the same base, so the
# better-sqlite3 addon compiled in the first runs in the second.

FROM node:20-bookworm-slim AS build
# Only here: the toolchain better-sqlite3 compiles with (its prebuilt download needs GitHub).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against the headers of the Node it runs on (here under /usr/local), never a
# download of them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
# ensure-built.mjs is the package's `prepare` script, which npm ci runs (with no src/ yet, it
# builds nothing: `npm run build` below does).
COPY package.json package-lock.json ./
COPY scripts/ensure-built.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 # Build leftovers of the addon: sources, objects, the static SQLite library (~25 MB).
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
           node_modules/better-sqlite3/build/Release/obj node_modules/better-sqlite3/build/Release/obj.target \
           node_modules/better-sqlite3/build/Release/.deps node_modules/better-sqlite3/build/Release/test_extension.node \
           node_modules/better-sqlite3/build/deps \
 && find node_modules -name '*.map' -delete \
 && rm -f dist/.tsbuildinfo

FROM node:20-bookworm-slim
LABEL org.opencontainers.image.title="fatora-mock" \
      org.opencontainers.image.description="Offline, faithful mock of Fatora's payment-gateway API (client API, Authorize), for integration tests" \
      org.opencontainers.image.source="https://github.com/fatora-mock/fatora-mock" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DB_PATH=/data/fatora-mock.db
# HTTPS (docs/https.md) is off until HTTPS_PORT is set: `-e HTTPS_PORT=3443 -p 3443:3443` serves
# it with a self-signed certificate for localhost, made once in the volume (/data/tls), or with
# TLS_CERT and TLS_KEY (files mounted into the container).
WORKDIR /app
# /data before USER node: a fresh named volume copies this owner, or SQLite cannot open the file.
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node fixtures ./fixtures
USER node
VOLUME ["/data"]
EXPOSE 3000 3443
# No curl in the slim image: Node's own fetch. PORT is read at check time.
HEALTHCHECK --interval=3s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node as PID 1 handles SIGTERM itself (graceful close); `docker run --init` works too.
# The esbuild bundle of the server: ~3× fewer files to load at start.
CMD ["node", "dist/bundle/server.mjs"]
