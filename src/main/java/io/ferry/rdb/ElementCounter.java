package io.ferry.rdb;

/** Counts the elements of a collection value (list elements, members, fields) as they are decoded. */
public final class ElementCounter implements ValueSink {
    private long count;

    /** The number of elements of a serialized value. */
    public static long of(RawValue value) {
        ElementCounter c = new ElementCounter();
        value.decode(c);
        return c.count;
    }

    public long count() {
        return count;
    }

    @Override
    public void listElement(byte[] element) {
        count++;
    }

    @Override
    public void setMember(byte[] member) {
        count++;
    }

    @Override
    public void zsetEntry(byte[] member, double score) {
        count++;
    }

    @Override
    public void arrayElement(long index, byte[] value) {
        count++;
    }

    @Override
    public void hashField(byte[] field, byte[] value, long expireAtMs) {
        count++;
    }
}
