"""A small PNG decoder (stdlib zlib + numpy) so tests can judge an image by its pixels, not by its presence.

Only what our outputs use: 8-bit samples, grey / RGB / palette / grey+alpha / RGBA, no interlacing.
"""
import base64
import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def decode_png(data):
    """Returns the image as a uint8 array of shape (height, width, 4) in RGBA."""
    if isinstance(data, str):
        data = base64.b64decode(data)
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG (bad signature)")
    pos, idat, palette, alpha_table = 8, [], None, None
    width = height = bit_depth = color_type = interlace = None
    ended = False
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError(f"truncated PNG chunk {kind!r}")
        pos += 12 + length
        if kind == b"IHDR":
            width, height, bit_depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
        elif kind == b"tRNS":
            alpha_table = np.frombuffer(body, dtype=np.uint8)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            ended = True
            break
    if width is None:
        raise ValueError("PNG without IHDR")
    if not ended:
        raise ValueError("truncated PNG (no IEND chunk)")
    if bit_depth != 8 or interlace != 0 or color_type not in _CHANNELS:
        raise ValueError(f"unsupported PNG: bit depth {bit_depth}, colour type {color_type}, interlace {interlace}")
    channels = _CHANNELS[color_type]
    try:
        raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    except zlib.error as error:
        raise ValueError(f"PNG pixel data does not decompress: {error}") from error
    stride = width * channels
    if raw.size != height * (stride + 1):
        raise ValueError(f"PNG data holds {raw.size} bytes, expected {height * (stride + 1)}")
    rows = raw.reshape(height, stride + 1)
    pixels = _unfilter(rows[:, 0], rows[:, 1:], channels)
    image = pixels.reshape(height, width, channels)
    return _to_rgba(image, color_type, palette, alpha_table)


def _unfilter(filters, filtered, bpp):
    """Undoes PNG's per-row filters. None/Sub/Up rows are vectorised; Average/Paeth rows loop in Python."""
    height, stride = filtered.shape
    out = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        line = filtered[y].astype(np.int32)
        kind = filters[y]
        if kind == 0:
            row = line
        elif kind == 1:
            # Sub: each byte adds the byte bpp to its left, i.e. a running sum per channel.
            row = np.cumsum(line.reshape(-1, bpp), axis=0).reshape(-1) & 0xFF
        elif kind == 2:
            row = (line + previous) & 0xFF
        elif kind in (3, 4):
            row = _unfilter_sequential(kind, line.tolist(), previous.tolist(), bpp)
        else:
            raise ValueError(f"bad PNG filter type {kind} on row {y}")
        out[y] = row
        previous = np.asarray(row, dtype=np.int32)
    return out


def _unfilter_sequential(kind, line, above, bpp):
    row = [0] * len(line)
    for i, value in enumerate(line):
        left = row[i - bpp] if i >= bpp else 0
        up = above[i]
        if kind == 3:
            row[i] = (value + ((left + up) >> 1)) & 0xFF
        else:
            upper_left = above[i - bpp] if i >= bpp else 0
            p = left + up - upper_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
            predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
            row[i] = (value + predictor) & 0xFF
    return row


def _to_rgba(image, color_type, palette, alpha_table):
    height, width = image.shape[:2]
    rgba = np.full((height, width, 4), 255, dtype=np.uint8)
    if color_type == 0:
        rgba[..., :3] = image[..., :1]
    elif color_type == 2:
        rgba[..., :3] = image
    elif color_type == 3:
        if palette is None:
            raise ValueError("palette PNG without PLTE")
        index = image[..., 0]
        rgba[..., :3] = palette[index]
        if alpha_table is not None:
            alphas = np.full(256, 255, dtype=np.uint8)
            alphas[:alpha_table.size] = alpha_table
            rgba[..., 3] = alphas[index]
    elif color_type == 4:
        rgba[..., :3] = image[..., :1]
        rgba[..., 3] = image[..., 1]
    else:
        rgba[...] = image
    return rgba


def describe_content(rgba):
    """Facts a test asserts on: size, how many distinct colours, and the share of pixels that differ
    from the most common colour (the background)."""
    height, width = rgba.shape[:2]
    flat = rgba.reshape(-1, 4).view(np.uint32).reshape(-1)
    colours, counts = np.unique(flat, return_counts=True)
    background_share = counts.max() / flat.size
    return {
        "width": width,
        "height": height,
        "distinct_colours": int(colours.size),
        "foreground_share": float(1.0 - background_share),
    }


def assert_not_blank(data, where, min_side=64, min_colours=8, min_foreground=0.005):
    """Fails with a message naming `where` unless the PNG is reasonably large and visibly drawn on."""
    facts = describe_content(decode_png(data))
    assert facts["width"] >= min_side and facts["height"] >= min_side, f"{where}: image too small: {facts}"
    assert facts["distinct_colours"] >= min_colours, f"{where}: image has too few colours (blank?): {facts}"
    assert facts["foreground_share"] >= min_foreground, f"{where}: image is almost all background: {facts}"
    return facts
