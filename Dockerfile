# The API and the worker in one container (src/scripts/start-all.ts runs both and forwards SIGTERM).
FROM node:20-slim

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY worker ./worker
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

ENV NODE_ENV=production \
    PORT=4000
USER node
EXPOSE 4000
CMD ["node", "dist/src/scripts/start-all.js"]
