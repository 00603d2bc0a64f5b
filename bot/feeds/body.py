"""Reading a response body under a cap that holds after decompression.

aiohttp's own decompression is off (the session sets auto_decompress=False): a gzip bomb of a
few kilobytes can expand to gigabytes, so the inflater here is asked for at most the bytes
still allowed and stops as soon as the cap is passed.
"""

from __future__ import annotations

import zlib

from aiohttp import ClientResponse

from bot.errors import BodyTooLarge, FetchError

CHUNK = 64 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class _Inflater:
    def __init__(self, encoding: str) -> None:
        if encoding == "gzip" or encoding == "x-gzip":
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header
        else:
            raise FetchError(f"the server used an encoding we did not ask for ({encoding})")

    def feed(self, data: bytes, room: int) -> bytes:
        """Up to room + 1 bytes of output: one more than allowed is enough to know."""
        out = self._z.decompress(data, room + 1)
        if len(out) > room or self._z.unconsumed_tail:
            raise _Overflow
        return out


class _Overflow(Exception):
    pass


async def read_capped(response: ClientResponse, limit: int, what: str = "feed") -> bytes:
    """The decoded body, or BodyTooLarge once more than `limit` bytes would be held; `what`
    (feed or page) names it in the error."""
    declared = response.content_length
    too_large = f"the {what} is larger than the {_megabytes(limit)} limit"
    if declared is not None and declared > limit:
        raise BodyTooLarge(f"{too_large} ({_megabytes(declared)} declared)")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    inflater = None if encoding in ("", "identity") else _Inflater(encoding)
    parts: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(CHUNK):
        if inflater is not None:
            try:
                chunk = inflater.feed(chunk, limit - size)
            except _Overflow:
                raise BodyTooLarge(f"{too_large} once decompressed") from None
            except zlib.error:
                raise FetchError("the compressed response is corrupt") from None
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(too_large)
        parts.append(chunk)
    return b"".join(parts)
