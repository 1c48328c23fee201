package io.ferry.route.twemproxy;

import java.util.List;

/** How a pool maps a key's hash to one of its servers ({@code distribution:}); {@code random} cannot be reproduced, so it has none. */
public interface Distribution {
    /** Index in the pool's server order of the server for {@code hash} (an unsigned 32-bit value). */
    int server(int hash);

    static Distribution of(String name, List<Server> servers) {
        return switch (name) {
            case "ketama" -> Ketama.of(servers);
            case "modula" -> Modula.of(servers);
            default -> throw new IllegalArgumentException(name);
        };
    }
}
