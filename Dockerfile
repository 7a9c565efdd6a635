# Heron in one container: build with the compiler toolchain, run on node:20-slim.
FROM node:20-bookworm AS build
WORKDIR /app
COPY . .
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV HERON_DATA_DIR=/data
COPY --from=build /app /app
VOLUME /data
EXPOSE 25 143 465 587 993 8080
ENTRYPOINT ["node", "dist/server/cli.js"]
CMD ["start"]
