# Vigie hub image. Production settings come from the environment
# (DATABASE_URL, REDIS_URL, VIGIE_OPERATOR_TOKEN, …): see docs/operations.md.
# The same image applies the migrations, run as the tables' owner:
# `node dist/server/migrate.js` (docker-compose.yml's `migrate` service).
# tests/e2e/deploy/dockerfile.test.ts reproduces each stage without Docker.

# ---- build: compile TypeScript to dist/ ------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY protocol ./protocol
COPY clients ./clients
# `npm run build` copies these beside the compiled code: server/config/load.ts and
# server/db/migrations-folder.ts resolve ../../config and ../../migrations from
# their own module, i.e. dist/config and dist/migrations.
COPY config ./config
COPY migrations ./migrations
RUN npm run build

# ---- runtime: production dependencies and compiled code only --------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
# The compiled hub with its config/ and migrations/ (dist/config, dist/migrations).
COPY --from=build /app/dist ./dist
# The embedded default's empty cluster, made once at build time (server/db/pglite-template.ts).
RUN node dist/server/db/pglite-template.js

# Code stays root-owned and read-only for the process; only the data
# directory (operator token, hub signing key when not mounted elsewhere) is writable.
RUN mkdir -p /var/lib/vigie && chown node:node /var/lib/vigie && chmod 0700 /var/lib/vigie
ENV HOST=0.0.0.0 \
    PORT=8080 \
    VIGIE_DATA_DIR=/var/lib/vigie
USER node
EXPOSE 8080

# Liveness only (/readyz also checks PostgreSQL and Redis, which the
# orchestrator watches on their own). Loopback probe: with
# VIGIE_TLS_CERT_FILE set the hub speaks HTTPS, whose certificate names the
# public host, not 127.0.0.1, hence no certificate check for this probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const t=!!process.env.VIGIE_TLS_CERT_FILE;require(t?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.PORT||8080,path:'/healthz',timeout:4000,rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]

# node is PID 1 and handles SIGTERM itself (close-with-grace, shutdownGraceMs).
CMD ["node", "dist/server/main.js"]
