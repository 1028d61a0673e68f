# The API and the worker in one container (src/scripts/start-all.ts runs both and forwards SIGTERM).
# Two stages: `build` compiles with the dev dependencies; the runtime image has production dependencies and dist/ only.
#
# The base image is pinned to a full version tag. Pin it by digest too where a registry is reachable
# (docker buildx imagetools inspect node:20.20.2-bookworm-slim), e.g. FROM node:20.20.2-bookworm-slim@sha256:<digest>.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY worker ./worker
COPY migrations ./migrations
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    WORKER_METRICS_PORT=4001
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
# 4000: GraphQL, websockets, /healthz, /readyz, /metrics of the API; 4001: /metrics of the worker.
EXPOSE 4000 4001
# Liveness, not readiness: /healthz answers while the API process is up. A Redis or PostgreSQL outage (which
# /readyz reports) is not fixed by restarting this container. No curl in slim images: Node's fetch instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/scripts/start-all.js"]
