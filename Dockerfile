FROM python:3.12-slim

# The bot runs as an unprivileged user; its database lives in /data (a volume).
RUN useradd --create-home --uid 10001 aiwatch && mkdir /data && chown aiwatch /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY config ./config
RUN pip install --no-cache-dir .

USER aiwatch
ENV AIWATCH_DB=/data/aiwatch.db \
    AIWATCH_CONFIG=/app/config \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
ENTRYPOINT ["aiwatch"]
CMD ["run"]
