# syntax=docker/dockerfile:1

# One image for all five services and the operations console; the command picks what runs:
#   node dist/apps/<app>/src/main.js     the service (dropout-control, student-aid,
#                                        school-construction, supervision, notifications)
#   node dist/apps/console/src/main.js   the console (:3006): the web app built into
#                                        dist/console/public, and /api/<service>/… proxied
#   node dist/scripts/migrate.js [app…]  migrations of the named services (all if none)

# --- build: full dependencies, compile (and bundle the console's web app with Vite, a dev
# dependency), then drop the dev dependencies ------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
COPY package.json package-lock.json ./
# No dependency needs an install script (the only one is @scarf/scarf's usage telemetry).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
COPY scripts ./scripts
RUN npm run build && test -f dist/console/public/index.html && npm prune --omit=dev

# --- runtime: compiled code and production dependencies only, run as `node` (uid 1000) ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# A CJK font for the Chinese PDF documents (interview notices, minutes, recommendations).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Owned by root and not writable by the process that runs them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3001 3002 3003 3004 3005 3006
CMD ["node", "-e", "console.error('Choose what to run, e.g. node dist/apps/student-aid/src/main.js, node dist/apps/console/src/main.js or node dist/scripts/migrate.js student-aid'); process.exit(64)"]
