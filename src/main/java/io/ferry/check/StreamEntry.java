package io.ferry.check;

import java.util.Arrays;
import java.util.List;

/** One stream entry as XRANGE returns it: id and alternating field, value. */
record StreamEntry(String id, List<byte[]> fields) {
    boolean sameAs(StreamEntry o) {
        if (!id.equals(o.id) || fields.size() != o.fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            if (!Arrays.equals(fields.get(i), o.fields.get(i))) {
                return false;
            }
        }
        return true;
    }
}
