# One image for every stationflow process; the command picks the role (api, worker, mqtt-bridge, migrate).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# Compiles TypeScript and pre-builds the workflow bundle (fails on Node built-ins in workflow code).
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The operations console: static pages the API serves at CONSOLE_PATH.
COPY console ./console
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "dist/src/workers/api.js"]
