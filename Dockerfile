# syntax=docker/dockerfile:1
# One image for every role: the command picks it.
#   docker build -t portico .
#   docker run portico migrate | api | worker | relay | projector | start (the default)
# The roles run alone need DATABASE_URL (and AMQP_URL for RabbitMQ); see example.env.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every dependency, compile TypeScript to dist/ -------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, compiled code, migrations ------------------------------
FROM ${NODE_IMAGE} AS runtime
# The heap settings of `npm start` (README, Decisions): without them V8 sizes the heap for the whole
# machine when the container has no memory limit. NODE_OPTIONS, so `docker run -e NODE_OPTIONS=…` replaces them.
ENV NODE_OPTIONS="--max-old-space-size=384 --max-semi-space-size=4" \
    NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    METRICS_PORT=9464 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY migrations ./migrations
COPY templates ./templates
COPY deploy/docker/healthcheck.mjs ./healthcheck.mjs
COPY --from=build /app/dist ./dist
# DATA_DIR is only used by `portico start` without DATABASE_URL (embedded PGlite): mount a volume there.
RUN mkdir -p /data && chown node:node /data

# The node image's unprivileged user (uid 1000); the code it runs stays owned by root, read-only to it.
USER node
# 3000: the API (PORT, with /health, /ready, /metrics); 9464: /metrics of worker, relay, projector.
EXPOSE 3000 9464
HEALTHCHECK --interval=15s --timeout=6s --start-period=30s --retries=3 CMD ["node", "healthcheck.mjs"]
ENTRYPOINT ["node", "bin/portico.js"]
CMD ["start"]
