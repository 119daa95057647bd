# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with dev dependencies, then keep production ones only.
# The base image is pinned to an exact Node.js release (the one the test suite runs on) and to
# the multi-platform index digest that tag was published with, so a rebuild gets the same bytes
# on every platform even when the tag is re-pushed over a rebuilt Debian base. Update both FROM
# lines (and the CI container in .github/workflows/ci.yml) together, with the "Digest:" that
# `docker buildx imagetools inspect node:<tag>` prints for the new tag.
FROM node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY rules ./rules
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: compiled code and production dependencies, as the unprivileged `node` user.
FROM node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
# HOST=0.0.0.0: Probot listens on localhost by default, which nothing outside the container reaches.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 READINESS_DB_PATH=/app/data/readiness.sqlite
WORKDIR /app
# The SQLite state store (used when DATABASE_URL is not set) lives in a volume the app user owns.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json app.yml ./
USER node
EXPOSE 3000
# /healthz: the process answers (alive). The image has no curl; Node's fetch does the request.
# Readiness (/readyz: store, Redis, queue) is the orchestrator's probe, not a reason to restart.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/src/server.js"]
