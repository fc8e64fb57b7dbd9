"""Bound an old Excel file (``.xls``: BIFF records in an OLE2 compound file) before it is read.

calamine builds a sheet as one rectangle from its first to its last cell: a 6 KB ``.xls``
with a cell in A1 and one in IV65536 makes a grid of 16.7 million cells, over a gigabyte,
before any size can be checked (issue 16). This module walks the file's ``Workbook`` stream
record by record, without building any cell, and gives what :class:`Limits` bounds: the area
each sheet's cells span, the shared strings, and the text the cells would expand to.

Only what the bound needs is read: the compound file's sector chains (each walk bounded by
the number of sectors, so a looping chain ends), then the record headers, cell positions and
shared-string lengths. Anything malformed is :class:`BiffDamaged`; the caller says the file
is damaged.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

END_OF_CHAIN = 0xFFFFFFFE
FREE = 0xFFFFFFFF
MAX_SECTOR = 0xFFFFFFFA

# Records holding one cell (row, column first), and the two holding a run of cells.
_CELL_RECORDS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, 0x0406}
_RUN_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, ..., last column
_LABELSST = 0x00FD
_SST = 0x00FC
_CONTINUE = 0x003C
_BOF = 0x0809
_EOF = 0x000A


class BiffDamaged(ValueError):
    """The file is not a readable OLE2/BIFF workbook."""


@dataclass
class SheetExtent:
    first_row: int = 1 << 30
    last_row: int = -1
    first_column: int = 1 << 30
    last_column: int = -1
    cells: int = 0

    def add(self, row: int, first: int, last: int) -> None:
        self.first_row = min(self.first_row, row)
        self.last_row = max(self.last_row, row)
        self.first_column = min(self.first_column, first)
        self.last_column = max(self.last_column, last)
        self.cells += last - first + 1

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if self.last_row >= 0 else 0

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1 if self.last_column >= 0 else 0


@dataclass
class BiffScan:
    sheets: list[SheetExtent] = field(default_factory=list)
    shared_strings: int = 0
    text: int = 0  # characters of the cells' shared strings, each counted as often as used


def _u16(data: bytes, at: int) -> int:
    if at + 2 > len(data):
        raise BiffDamaged("short")
    return int.from_bytes(data[at : at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    if at + 4 > len(data):
        raise BiffDamaged("short")
    return int.from_bytes(data[at : at + 4], "little")


def workbook_stream(raw: bytes, limit: int) -> bytes:
    """The ``Workbook`` (BIFF8) or ``Book`` (BIFF5) stream of a compound file, at most
    ``limit`` bytes (the chains cannot make it larger than the file anyway)."""
    if len(raw) < 512 or raw[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise BiffDamaged("header")
    shift = _u16(raw, 0x1E)
    mini_shift = _u16(raw, 0x20)
    if shift not in (9, 12) or mini_shift != 6:
        raise BiffDamaged("sector size")
    size = 1 << shift
    sectors = (len(raw) - 512) // size + 1  # no chain can be longer than the file
    fat_count, directory_start = _u32(raw, 0x2C), _u32(raw, 0x30)
    cutoff, mini_fat_start = _u32(raw, 0x38), _u32(raw, 0x3C)
    difat_start, difat_count = _u32(raw, 0x44), _u32(raw, 0x48)
    if fat_count > sectors or difat_count > sectors:
        raise BiffDamaged("fat")

    def sector(number: int) -> bytes:
        start = (number + 1) * size  # the header takes the first sector's place
        if number > MAX_SECTOR or start >= len(raw):  # a short last sector is read as it is
            raise BiffDamaged("sector")
        return raw[start : start + size]

    fat_sectors = [_u32(raw, 0x4C + 4 * i) for i in range(109)]
    next_difat = difat_start
    for _ in range(difat_count):
        if next_difat >= MAX_SECTOR:
            break
        block = sector(next_difat)
        fat_sectors += [_u32(block, 4 * i) for i in range(size // 4 - 1)]
        next_difat = _u32(block, size - 4)
    fat_bytes = b"".join(sector(n) for n in fat_sectors[:fat_count] if n < MAX_SECTOR)
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes[: len(fat_bytes) // 4 * 4])

    def chain(start: int, table: tuple[int, ...], most: int) -> list[int]:
        numbers: list[int] = []
        current = start
        while current != END_OF_CHAIN:
            if current >= len(table) or len(numbers) >= most:
                raise BiffDamaged("chain")
            numbers.append(current)
            current = table[current]
        return numbers

    directory = b"".join(sector(n) for n in chain(directory_start, fat, sectors))
    entries = []
    for at in range(0, len(directory) - 127, 128):
        length = _u16(directory, at + 0x40)
        name = directory[at : at + max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
        kind = directory[at + 0x42]
        entries.append((name, kind, _u32(directory, at + 0x74), _u32(directory, at + 0x78)))
    if not entries:
        raise BiffDamaged("directory")
    root = entries[0]
    found = next((e for e in entries if e[1] == 2 and e[0] in ("Workbook", "Book")), None)
    if found is None:
        raise BiffDamaged("no workbook stream")
    _, _, start, length = found
    if length > limit:
        raise BiffDamaged("stream size")
    if length >= cutoff:
        data = b"".join(sector(n) for n in chain(start, fat, sectors))
        return data[:length]
    # A small stream lives in the mini stream (64-byte sectors, their own table).
    mini_stream = b"".join(sector(n) for n in chain(root[2], fat, sectors))
    mini_fat_bytes = b"".join(sector(n) for n in chain(mini_fat_start, fat, sectors))
    mini_fat = struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes)
    pieces = [mini_stream[n * 64 : n * 64 + 64] for n in chain(start, mini_fat, len(mini_fat))]
    return b"".join(pieces)[:length]


def _sst_lengths(chunks: list[bytes], most: int) -> list[int]:
    """The length of each shared string, walking the SST record and its CONTINUE records (a
    string's characters may go on in the next record, after a byte giving their width)."""
    index, data = 0, chunks[0]
    position = 8

    def take(count: int) -> bytes:
        nonlocal index, data, position
        out = b""
        while count:
            if position >= len(data):
                index += 1
                if index >= len(chunks):
                    raise BiffDamaged("sst")
                data, position = chunks[index], 0
            piece = data[position : position + count]
            out += piece
            position += len(piece)
            count -= len(piece)
        return out

    unique = min(_u32(data, 4), most + 1)
    lengths = []
    for _ in range(unique):
        if position >= len(data) and index + 1 >= len(chunks):
            break
        head = take(3)
        characters, flags = head[0] | head[1] << 8, head[2]
        runs = int.from_bytes(take(2), "little") if flags & 0x08 else 0
        extra = int.from_bytes(take(4), "little") if flags & 0x04 else 0
        wide = flags & 0x01
        left = characters
        while left:
            if position >= len(data):  # the characters go on in a CONTINUE record
                index += 1
                if index >= len(chunks):
                    raise BiffDamaged("sst")
                data = chunks[index]
                wide, position = data[0] & 0x01 if data else 0, 1
                continue
            width = 2 if wide else 1
            step = min(left, (len(data) - position) // width)
            if step == 0:
                raise BiffDamaged("sst")
            position += step * width
            left -= step
        take(4 * runs + extra)
        lengths.append(characters)
    return lengths


def scan(raw: bytes, *, stream_limit: int, shared_limit: int) -> BiffScan:
    """Every worksheet's cell area, the shared strings and the text the cells expand to."""
    stream = workbook_stream(raw, stream_limit)
    result = BiffScan()
    lengths: list[int] = []
    sst_chunks: list[bytes] | None = None
    labels: list[int] = []
    sheet: SheetExtent | None = None
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind = stream[position] | stream[position + 1] << 8
        length = stream[position + 2] | stream[position + 3] << 8
        body = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if kind == _CONTINUE and sst_chunks is not None:
            sst_chunks.append(body)
            continue
        if sst_chunks is not None:  # the SST and its CONTINUE records are complete
            result.shared_strings = _u32(sst_chunks[0], 4)
            if result.shared_strings > shared_limit:
                return result
            lengths = _sst_lengths(sst_chunks, shared_limit)
            sst_chunks = None
        if kind == _SST:
            sst_chunks = [body]
        elif kind == _BOF:
            sheet = SheetExtent() if _u16(body, 2) == 0x0010 else None
            if sheet is not None:
                result.sheets.append(sheet)
        elif kind == _EOF:
            sheet = None
        elif sheet is not None and kind in _CELL_RECORDS and length >= 4:
            row, column = _u16(body, 0), _u16(body, 2)
            sheet.add(row, column, column)
            if kind == _LABELSST and length >= 10:
                labels.append(_u32(body, 6))
        elif sheet is not None and kind in _RUN_RECORDS and length >= 6:
            row, first, last = _u16(body, 0), _u16(body, 2), _u16(body, length - 2)
            if last >= first:
                sheet.add(row, first, last)
    if sst_chunks is not None:
        result.shared_strings = _u32(sst_chunks[0], 4)
        if result.shared_strings <= shared_limit:
            lengths = _sst_lengths(sst_chunks, shared_limit)
    result.text = sum(lengths[i] if i < len(lengths) else 0 for i in labels)
    return result
