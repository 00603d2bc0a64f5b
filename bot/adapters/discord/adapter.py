"""The Discord adapter: a discord.py client's lifecycle (connect, sync the commands intake.py
registers, greet and leave servers) and the `discord` destination for the outbox, posting what
render.py builds. It translates; every decision is the core's."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord.intake import register
from bot.adapters.discord.render import (
    NO_MENTIONS,
    DiscordMessage,
    alert_message,
    development_message,
    digest_message,
    repost_message,
)
from bot.adapters.discord.shards import ShardedClient
from bot.commands import Commands
from bot.delivery.destination import (
    CredentialsRefused,
    DeliveryError,
    MessageGone,
    NotConnectedYet,
    SendKey,
    marker_in,
)
from bot.delivery.limits import DISCORD_LIMITS, ChatLimits
from bot.delivery.pacing import ChannelPacer, SharedPacer
from bot.models import Alert, Digest
from bot.storage import Database
from bot.storage.destinations import stop_server_destinations

log = logging.getLogger(__name__)
UNKNOWN_MESSAGE = 10008
# Discord checks an enforced nonce "in the past few minutes"; a repeat later than this is
# looked up in the channel instead of trusted to the nonce.
NONCE_WINDOW = 60.0
LOOKUP_LIMIT = 50  # the latest messages a lookup reads: an alert in doubt is that recent
UNANSWERED = (aiohttp.ClientError, OSError, TimeoutError)  # the request may have arrived
FAILURES = (discord.HTTPException, discord.RateLimited, *UNANSWERED)
NO_HISTORY = (
    "the bot cannot read this channel's history to check a message it may have sent: give it "
    "Read Message History there"
)
WELCOME = (
    "Hello! I post alerts when platforms start using people's data to train AI, with how to "
    "opt out where you live. Someone with Manage Server can pick a channel and type "
    "`/aiwatch subscribe regions:UK,EU` there. `/optout linkedin` works for everyone; "
    "`/aiwatch help` lists the rest."
)
NO_ACCESS = (
    "the bot cannot post in this channel (missing access): give it View Channel, Send "
    "Messages and Embed Links there, then run /aiwatch subscribe again"
)
REFUSED_LOGIN = (
    "Discord refused the bot token (401 Unauthorized): reset it under Bot → Reset Token in "
    "the Developer Portal, put it in DISCORD_TOKEN and restart the bot"
)
TOO_FEW_SHARDS = (
    "Discord needs more shards for the bot's servers (gateway 4011 Sharding required): raise "
    "DISCORD_SHARD_COUNT on every process, or unset it and DISCORD_SHARD_IDS to run as many as "
    "Discord recommends, and restart the bot"
)
GONE = (
    "the channel no longer exists, or the bot was removed from the server: invite it again "
    "and run /aiwatch subscribe in a channel"
)


class DiscordAdapter(ShardedClient):
    """discord.py's own sharding: with no shard settings it asks Discord (GET /gateway/bot)
    how many shards the bot needs and runs them all; with `shard_ids` and `shard_count` this
    process runs only those, and other processes the rest. Discord sends each server's events
    and slash commands to the shard `(server id >> 22) % shard_count`."""

    kind = "discord"
    dedup_window = NONCE_WINDOW

    def __init__(
        self,
        commands: Commands,
        db: Database,
        *,
        dev_guild: int | None = None,
        shard_ids: tuple[int, ...] | None = None,
        shard_count: int | None = None,
        limits: ChatLimits = DISCORD_LIMITS,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        # no shard_ids: this process runs every shard (discord.py types it as never None)
        sharding: dict[str, Any] = {"shard_count": shard_count}
        if shard_ids is not None:
            sharding["shard_ids"] = list(shard_ids)
        super().__init__(
            intents=discord.Intents(guilds=True),
            **sharding,
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
            # a longer 429 raises RateLimited: the job waits in the outbox, not in a send
            max_ratelimit_timeout=limits.longest_wait,
        )
        self.tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(self)
        register(self.tree, commands)
        self._db = db
        self._dev_guild = dev_guild
        self._limits = limits
        self._pacer = ChannelPacer(limits.channel.count, limits.channel.per)
        # Discord's global limit is the bot's, whichever process sends: a process running k
        # of n shards keeps to k/n of it, as the processes share the outbox.
        app = limits.app or limits.channel
        if shard_ids is not None and shard_count:
            app = app.share(len(shard_ids), shard_count)
        self._app_pacer = SharedPacer(app.count, app.per)
        self.http.request = self._paced(self.http.request)  # type: ignore[method-assign,assignment]
        self._logged_in = asyncio.Event()

    def _paced(self, request: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        """Every request discord.py makes with the bot token (alerts, and its own: logging
        in, syncing commands, greeting a server) takes a place in the global limit, so the
        outbox may use all of it; then it fails with TimeoutError if no answer comes in
        time. Interaction answers go through discord.py's webhook adapter, outside the
        global limit, and are not held up by a fan-out."""

        async def paced(route: discord.http.Route, **kwargs: Any) -> Any:
            async with self._app_pacer.turn():
                async with asyncio.timeout(self._limits.request_timeout):
                    return await request(route, **kwargs)

        return paced

    async def wait_until_logged_in(self) -> None:
        """Alerts go out over REST, so `run --once` need not wait for the gateway."""
        await self._logged_in.wait()

    async def setup_hook(self) -> None:
        """Logged in: alerts may go out. Sync commands: to one guild instantly while
        developing, else globally; once, when processes split the shards."""
        self._logged_in.set()
        if self.shard_ids is not None and 0 not in self.shard_ids:
            log.info("Discord: slash commands are synced by the process running shard 0")
            return
        if self._dev_guild:
            guild = discord.Object(id=self._dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("Discord: %d slash commands synced", len(synced))

    async def on_ready(self) -> None:
        shards = ",".join(map(str, sorted(self.shards)))
        log.info("Discord: connected as %s to %d servers on shards %s of %s",
                 self.user, len(self.guilds), shards, self.shard_count)  # fmt: skip

    async def on_guild_join(self, guild: discord.Guild) -> None:
        channel = guild.system_channel
        if channel is None or not channel.permissions_for(guild.me).send_messages:
            log.info("Discord: joined %s; no system channel to greet in", guild.name)
            return
        try:
            await channel.send(WELCOME, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.info("Discord: could not greet %s: %s", guild.name, exc.text)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        stopped = await stop_server_destinations(self._db, f"discord:{guild.id}/", GONE)
        log.warning("Discord: removed from %s; its %d channels stopped", guild.name, stopped)

    # -- the destination ------------------------------------------------------------------

    async def post(self, address: str, alert: Alert, key: SendKey) -> str:
        message = repost_message(alert) if alert.continues else alert_message(alert)
        return await self._send(address, message, key.nonce)

    async def edit(self, address: str, message_id: str | None, alert: Alert) -> None:
        self._check_connected()
        if message_id is None:
            raise MessageGone("the alert has no message to edit")
        message = self._channel(address).get_partial_message(int(message_id))
        try:
            async with self._turn(address):
                await message.edit(
                    embeds=list(alert_message(alert).embeds),  # content stays
                    allowed_mentions=NO_MENTIONS,
                )
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MESSAGE:
                raise MessageGone("the alert's message was deleted") from exc
            raise _delivery_error(exc) from exc
        except FAILURES as exc:
            raise _delivery_error(exc) from exc

    async def reply(self, address: str, message_id: str | None, alert: Alert, key: SendKey) -> str:
        """A reply to the alert (`message_reference`); if the alert is gone, a plain message."""
        reference = None
        if message_id is not None:
            reference = discord.MessageReference(
                message_id=int(message_id), channel_id=_channel_id(address),
                fail_if_not_exists=False,
            )  # fmt: skip
        return await self._send(address, development_message(alert), key.nonce, reference)

    async def find(self, address: str, key: SendKey, parent_id: str | None) -> str | None:
        """The bot's own message carrying `key`'s marker among the channel's latest ones:
        top-level for a post, replying to `parent_id` for a development."""
        self._check_connected()
        me = self.user.id if self.user else None
        try:
            async with self._turn(address):
                messages = [m async for m in self._channel(address).history(limit=LOOKUP_LIMIT)]
            for message in messages:
                replied_to = message.reference.message_id if message.reference else None
                if message.author.id != me or str(replied_to or "") != (parent_id or ""):
                    continue
                footer = message.embeds[0].footer.text if message.embeds else None
                if footer and marker_in(footer) == key.marker:
                    return str(message.id)
        except FAILURES as exc:
            raise _delivery_error(exc, lookup=True) from exc
        return None

    async def post_digest(self, address: str, digest: Digest) -> str:
        return await self._send(address, digest_message(digest))

    def _check_connected(self) -> None:
        """Delivery is REST only: logged in is enough, the gateway may still be connecting."""
        if self.user is None:
            raise NotConnectedYet("not connected to Discord yet", retry_after=2)

    def _channel(self, address: str) -> discord.PartialMessageable:
        return self.get_partial_messageable(_channel_id(address))

    async def _send(
        self,
        address: str,
        message: DiscordMessage,
        nonce: str | None = None,
        reference: discord.MessageReference | None = None,
    ) -> str:
        """Send once; with a nonce, Discord answers a repeat within minutes with the first
        message (discord.py sends `enforce_nonce` with every nonce)."""
        self._check_connected()
        extra: dict[str, Any] = {"nonce": nonce} if nonce else {}
        if reference is not None:  # a reply that pings nobody, not even the alert's author
            extra.update(reference=reference, mention_author=False)
        try:
            async with self._turn(address):
                sent = await self._channel(address).send(
                    message.content, embeds=list(message.embeds), allowed_mentions=NO_MENTIONS,
                    **extra,
                )  # fmt: skip
        except FAILURES as exc:
            raise _delivery_error(exc) from exc
        return str(sent.id)

    @contextlib.asynccontextmanager
    async def _turn(self, address: str) -> AsyncIterator[None]:
        """The channel's turn; the request then waits for its place in the global limit
        (see _paced)."""
        async with self._pacer.turn(address):
            yield


def _channel_id(address: str) -> int:
    return int(address.rpartition("/")[2])


def _delivery_error(exc: BaseException, *, lookup: bool = False) -> DeliveryError:
    """A refused token stops Discord, missing access the destination, until a person fixes
    it; the rest is retried (a message that may have gone out is looked up first: see
    bot/delivery/living.py)."""
    if isinstance(exc, discord.HTTPException) and exc.status == 401:
        return CredentialsRefused(REFUSED_LOGIN)
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(NO_HISTORY if lookup else NO_ACCESS, permanent=True)
    if isinstance(exc, discord.NotFound):
        return DeliveryError(GONE, permanent=True)
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(f"Discord asked the bot to wait {exc.retry_after:.0f} s (rate "
                             "limited)", retry_after=exc.retry_after)  # fmt: skip
    if isinstance(exc, discord.HTTPException):
        retry_after = getattr(exc, "retry_after", None)
        return DeliveryError(f"Discord answered {exc.status}: {exc.text or 'no detail'}",
                             retry_after=retry_after)  # fmt: skip
    return DeliveryError(f"no answer from Discord ({exc.__class__.__name__})")
