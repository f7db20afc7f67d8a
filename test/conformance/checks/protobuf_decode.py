"""A small, independent decoder of the length-delimited io.prometheus.client.MetricFamily stream (metrics.proto of
prometheus/client_model), written from the protobuf wire format so the check needs no generated code.

families_as_samples() turns the messages into the same shape check_parsed.py builds from the text parsers:
a family per message, with the samples the text format would show (x_bucket{le=..}, x_count, x_sum, quantiles)."""
import struct

TYPES = {0: "COUNTER", 1: "GAUGE", 2: "SUMMARY", 3: "UNTYPED", 4: "HISTOGRAM", 5: "GAUGE_HISTOGRAM"}


class DecodeError(Exception):
    pass


def _varint(buf, pos):
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise DecodeError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise DecodeError("varint longer than 10 bytes")


def fields(buf):
    """Yields (field number, wire type, value) of one message; value is int, bytes or float (fixed64 as double)."""
    pos = 0
    while pos < len(buf):
        tag, pos = _varint(buf, pos)
        number, wire = tag >> 3, tag & 7
        if number == 0:
            raise DecodeError("field number 0")
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            if pos + 8 > len(buf):
                raise DecodeError("truncated fixed64")
            value = struct.unpack_from("<d", buf, pos)[0]
            pos += 8
        elif wire == 2:
            length, pos = _varint(buf, pos)
            if pos + length > len(buf):
                raise DecodeError(f"field {number}: length {length} past the end of the message")
            value = bytes(buf[pos:pos + length])
            pos += length
        elif wire == 5:
            value = struct.unpack_from("<f", buf, pos)[0]
            pos += 4
        else:
            raise DecodeError(f"field {number}: unsupported wire type {wire}")
        yield number, wire, value


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _expect(wire, wanted, what):
    if wire != wanted:
        raise DecodeError(f"{what}: wire type {wire}, expected {wanted}")


def label_pair(buf):
    name = value = ""
    for n, w, v in fields(buf):
        if n in (1, 2):
            _expect(w, 2, "LabelPair")
            s = v.decode("utf-8")  # strict: invalid UTF-8 is an error
            if n == 1:
                name = s
            else:
                value = s
    return name, value


def timestamp(buf):
    seconds = nanos = 0
    for n, w, v in fields(buf):
        if n == 1:
            seconds = _signed64(v)
        elif n == 2:
            nanos = v
    return seconds + nanos / 1e9


def exemplar(buf):
    result = {"labels": {}, "value": 0.0, "timestamp": None}
    for n, w, v in fields(buf):
        if n == 1:
            k, val = label_pair(v)
            result["labels"][k] = val
        elif n == 2:
            _expect(w, 1, "Exemplar.value")
            result["value"] = v
        elif n == 3:
            result["timestamp"] = timestamp(v)
    return result


def _single_double(buf, what):
    value = 0.0
    for n, w, v in fields(buf):
        if n == 1:
            _expect(w, 1, what)
            value = v
    return value


def metric(buf, family_type, name):
    """Returns (samples, created) for one Metric message."""
    labels = {}
    samples = []
    timestamp_ms = None
    created = None
    body = {}
    for n, w, v in fields(buf):
        if n == 1:
            k, val = label_pair(v)
            if k in labels:
                raise DecodeError(f"{name}: label {k} twice")
            labels[k] = val
        elif n == 6:
            timestamp_ms = _signed64(v)
        elif n in (2, 3, 4, 5, 7):
            if n in body:
                raise DecodeError(f"{name}: field {n} twice in one Metric")
            body[n] = v
    ts = None if timestamp_ms is None else timestamp_ms / 1000.0
    expected_field = {"GAUGE": 2, "COUNTER": 3, "SUMMARY": 4, "UNTYPED": 5, "HISTOGRAM": 7}.get(family_type)
    if set(body) != {expected_field}:
        raise DecodeError(f"{name}: family type {family_type} but the Metric carries fields {sorted(body)}")
    payload = body[expected_field]

    def sample(sample_name, extra, value, ex=None):
        return {"name": sample_name, "labels": {**labels, **extra}, "value": value, "timestamp": ts, "exemplar": ex,
                "created": created}

    if family_type in ("GAUGE", "UNTYPED"):
        samples.append(sample(name, {}, _single_double(payload, family_type)))
    elif family_type == "COUNTER":
        value, ex = 0.0, None
        for n, w, v in fields(payload):
            if n == 1:
                value = v
            elif n == 2:
                ex = exemplar(v)
            elif n == 3:
                created = timestamp(v)
        samples.append(sample(name, {}, value, ex))
    elif family_type == "SUMMARY":
        count, total, quantiles = 0, 0.0, []
        for n, w, v in fields(payload):
            if n == 1:
                count = v
            elif n == 2:
                total = v
            elif n == 3:
                q = val = 0.0
                for qn, qw, qv in fields(v):
                    if qn == 1:
                        q = qv
                    elif qn == 2:
                        val = qv
                quantiles.append((q, val))
            elif n == 4:
                created = timestamp(v)
        for q, val in quantiles:
            samples.append(sample(name, {"quantile": repr(q)}, val))
        samples.append(sample(name + "_count", {}, count))
        samples.append(sample(name + "_sum", {}, total))
    elif family_type == "HISTOGRAM":
        count, total, buckets, native = 0, 0.0, [], []
        for n, w, v in fields(payload):
            if n == 1:
                count = v
            elif n == 2:
                total = v
            elif n == 3:
                b = {"count": 0, "bound": 0.0, "exemplar": None}
                for bn, bw, bv in fields(v):
                    if bn == 1:
                        b["count"] = bv
                    elif bn == 2:
                        b["bound"] = bv
                    elif bn == 3:
                        b["exemplar"] = exemplar(bv)
                    elif bn == 4:
                        raise DecodeError(f"{name}: float bucket counts in an integer histogram")
                buckets.append(b)
            elif n == 15:
                created = timestamp(v)
            elif n in range(5, 15) or n == 16:
                native.append(n)
        bounds = [b["bound"] for b in buckets]
        if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
            raise DecodeError(f"{name}: bucket bounds not strictly increasing: {bounds}")
        counts = [b["count"] for b in buckets]
        if counts != sorted(counts):
            raise DecodeError(f"{name}: bucket counts not cumulative: {counts}")
        # The +Inf bucket is optional in protobuf (Prometheus adds it from the count); compare as if written.
        if not bounds or bounds[-1] != float("inf"):
            buckets.append({"count": count, "bound": float("inf"), "exemplar": None})
        for b in buckets:
            samples.append(sample(name + "_bucket", {"le": repr(b["bound"])}, b["count"], b["exemplar"]))
        samples.append(sample(name + "_count", {}, count))
        samples.append(sample(name + "_sum", {}, total))
    for s in samples:
        s["created"] = created
    return samples


def families_as_samples(data):
    result = []
    pos = 0
    while pos < len(data):
        length, pos = _varint(data, pos)
        if pos + length > len(data):
            raise DecodeError(f"message at byte {pos}: length {length} past the end of the stream ({len(data)} bytes)")
        buf = data[pos:pos + length]
        pos += length
        family = {"name": "", "help": "", "type": "COUNTER", "unit": "", "samples": []}
        metrics = []
        for n, w, v in fields(buf):
            if n == 1:
                family["name"] = v.decode("utf-8")
            elif n == 2:
                family["help"] = v.decode("utf-8")
            elif n == 3:
                if v not in TYPES:
                    raise DecodeError(f"unknown MetricType {v}")
                family["type"] = TYPES[v]
            elif n == 4:
                metrics.append(v)
            elif n == 5:
                family["unit"] = v.decode("utf-8")
        for m in metrics:
            family["samples"].extend(metric(m, family["type"], family["name"]))
        result.append(family)
    return result
