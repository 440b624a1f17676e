"""Summarise every ROS 1 bag of a mission into /out/summary.json.

Usage: summary.py [DATA_DIR [OUT_DIR]] (defaults /data and /out, as the engine mounts them).
Exit codes: 0 when the mission was read, even if some bags are damaged (damage is a finding,
not a failure of the action); 2 when DATA_DIR does not exist; 1 on any other failure.
"""

import atexit
import importlib
import json
import os
import shutil
import signal
import stat
import struct
import sys
import tempfile

import rosbag

try:
    importlib.import_module("roslz4")
except ImportError:
    # Without it rosbag reports every LZ4 chunk as "unsupported compression", which would
    # mark healthy bags as damaged: a broken image must fail, not produce wrong findings.
    print("bag-summary: roslz4 is missing from the image; LZ4 bags cannot be read",
          file=sys.stderr)
    sys.exit(1)

BAG_SUFFIX = ".bag"


def walk_files(root):
    """Returns (regular files as paths relative to root, directories that could not be listed).

    Symlinks are never followed, so that the summary covers what the mission holds and cannot
    wander outside the mount; only regular files count, as in the checksums action.
    """
    files = []
    unreadable = []

    def on_error(err):
        unreadable.append({"path": os.path.relpath(err.filename, root), "error": err.strerror})

    for dirpath, _dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        for name in filenames:
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
            except OSError as err:
                unreadable.append({"path": os.path.relpath(full, root), "error": err.strerror})
                continue
            if stat.S_ISREG(st.st_mode):
                files.append((os.path.relpath(full, root), st.st_size))
    files.sort()
    unreadable.sort(key=lambda entry: entry["path"])
    return files, unreadable


def describe_error(err):
    if isinstance(err, rosbag.ROSBagUnindexedException):
        # rosbag's own text is just "Unindexed bag"; say what it means for the recording.
        return ("unindexed bag: the index at the end of the file is missing (truncated file "
                "or interrupted recording); 'rosbag reindex' can recover whole chunks only")
    text = str(err) or "no details"
    return "%s: %s" % (type(err).__name__, text)


def seconds(stamp_ns):
    # A double cannot hold nanoseconds at epoch magnitudes (its step is about 0.24 us there),
    # so microseconds keep the printed value honest and stable across readers.
    return round(stamp_ns / 1e9, 6)


def unreferenced_bytes(bag, path):
    """Bytes between the file header and the index of a bag that has no chunks at all.

    `rosbag reindex` on a recording cut inside its first (often only) chunk writes a valid
    index of nothing: the file then opens as a clean, empty bag although it holds data. Only
    the chunkless case is measured; with chunks present the counts are checked by reading.
    """
    if bag._version != 200 or bag._chunks:
        return 0
    with open(path, "rb") as f:
        # Magic line, then the file header record: header length, header, data length, data.
        f.seek(bag._file_header_pos)
        (header_len,) = struct.unpack("<I", f.read(4))
        f.seek(header_len, os.SEEK_CUR)
        (data_len,) = struct.unpack("<I", f.read(4))
        header_end = f.tell() + data_len
    return max(0, bag._index_data_pos - header_end)


def read_bag(path):
    """Reads every message of the bag; raises on anything that keeps it from being read whole.

    Counting from the index alone would call a bag healthy even if its chunks cannot be
    decompressed or parsed, so every indexed message is actually read (raw: no deserialising).
    """
    counts = {}
    first_ns = None
    last_ns = None
    with rosbag.Bag(path, "r") as bag:
        # get_type_and_topic_info() would do, but it also walks the whole index for frequencies
        # and keeps one type per topic; the connection table is all that is needed here.
        types = {}
        for conn in bag._connections.values():
            types.setdefault(conn.topic, set()).add(conn.datatype)
        # Unfiltered, this sums the chunk info records, a second copy of the counts that the
        # per-chunk index (which read_messages follows) must agree with.
        expected = bag.get_message_count()
        lost = unreferenced_bytes(bag, path)
        if lost:
            raise rosbag.ROSBagException(
                "%d bytes of recorded data are not referenced by the index (a cut recording "
                "that was reindexed?)" % lost)
        for topic, _raw, stamp in bag.read_messages(raw=True):
            counts[topic] = counts.get(topic, 0) + 1
            stamp_ns = stamp.to_nsec()
            if first_ns is None or stamp_ns < first_ns:
                first_ns = stamp_ns
            if last_ns is None or stamp_ns > last_ns:
                last_ns = stamp_ns
    if sum(counts.values()) != expected:
        raise rosbag.ROSBagException("the chunk records promise %d messages but %d were read"
                                     % (expected, sum(counts.values())))
    topics = {}
    for topic in sorted(set(types) | set(counts)):
        topics[topic] = {
            "messages": counts.get(topic, 0),
            # Several connections of one topic may disagree on the type; list them all.
            "type": ", ".join(sorted(types.get(topic, ()))) or None,
        }
    summary = {
        "messages": sum(counts.values()),
        "topics": topics,
        "start": None,
        "end": None,
        "duration": None,
    }
    if first_ns is not None:
        summary["start"] = seconds(first_ns)
        summary["end"] = seconds(last_ns)
        summary["duration"] = round((last_ns - first_ns) / 1e9, 9)
    return summary


def summarise_bag(root, rel, size):
    print("reading %s ... " % rel, end="", flush=True)
    entry = {
        "path": rel,
        "size": size,
        "status": "ok",
        "error": None,
        "messages": None,
        "topics": None,
        "start": None,
        "end": None,
        "duration": None,
    }
    try:
        entry.update(read_bag(os.path.join(root, rel)))
    except Exception as err:  # noqa: BLE001 - any failure to read is a finding about the bag
        entry["status"] = "damaged"
        entry["error"] = describe_error(err)
        print("DAMAGED: %s" % entry["error"], flush=True)
        return entry
    with_messages = sum(1 for info in entry["topics"].values() if info["messages"] > 0)
    print("%d messages on %d topics" % (entry["messages"], with_messages), flush=True)
    return entry


def write_atomically(path, document):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".summary.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file 0600; the result is meant to be read by anyone on the host.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv):
    # As PID 1 of the container the default SIGTERM action is ignored, and `docker stop` would
    # wait out its grace period; exiting through SystemExit also removes a half-written file.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    # Names on disk need not be UTF-8; print them escaped rather than die on them.
    sys.stdout.reconfigure(errors="backslashreplace")
    root = argv[1] if len(argv) > 1 else "/data"
    out_dir = argv[2] if len(argv) > 2 else "/out"
    if not os.path.isdir(root):
        print("bag-summary: %s does not exist or is not a directory" % root, file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    try:
        tempfile.gettempdir()
    except FileNotFoundError:
        # genpy writes the classes it generates from each bag's message definitions to a temp
        # dir; under `docker run --read-only` without a tmpfs that would fail every bag as
        # damaged, so borrow a hidden dir in OUT_DIR, the one place that must be writable.
        # Registered before genpy registers its own clean-ups, so it is removed after them.
        scratch = tempfile.mkdtemp(prefix=".scratch.", dir=out_dir)
        tempfile.tempdir = scratch
        atexit.register(shutil.rmtree, scratch, True)

    files, unreadable = walk_files(root)
    bags = [summarise_bag(root, rel, size) for rel, size in files
            if rel.lower().endswith(BAG_SUFFIX)]
    others = [{"path": rel, "size": size} for rel, size in files
              if not rel.lower().endswith(BAG_SUFFIX)]
    for entry in unreadable:
        print("cannot read %s: %s" % (entry["path"], entry["error"]), flush=True)

    damaged = sum(1 for bag in bags if bag["status"] == "damaged")
    totals = {
        "bags": len(bags),
        "ok": len(bags) - damaged,
        "damaged": damaged,
        "messages": sum(bag["messages"] for bag in bags if bag["status"] == "ok"),
        "other_files": len(others),
    }
    document = {"bags": bags, "other_files": others, "unreadable": unreadable, "totals": totals}
    target = os.path.join(out_dir, "summary.json")
    write_atomically(target, document)
    print("done: %d bags (%d ok, %d damaged), %d messages, %d other files -> %s"
          % (totals["bags"], totals["ok"], totals["damaged"], totals["messages"],
             totals["other_files"], target), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
