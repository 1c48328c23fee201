package io.ferry.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A one-connection server that records each command and answers with {@code replies.apply(command) + "\r\n"},
 * for behaviour a real redis-server cannot be made to show (old AUTH, garbage, unsolicited replies).
 */
final class FakeRedisServer implements AutoCloseable {
    final List<List<String>> commands = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private final Thread thread;

    FakeRedisServer(Function<List<String>, String> replies) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(replies), "fake-redis");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    void awaitDisconnect() throws InterruptedException {
        thread.join(5000);
    }

    private void serve(Function<List<String>, String> replies) {
        try (Socket s = listener.accept()) {
            RespReader in = new RespReader(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> cmd = in.read().asList().stream().map(Reply::asString).toList();
                commands.add(cmd);
                out.write((replies.apply(cmd) + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (EOFException e) {
            // client went away
        } catch (IOException e) {
            // listener closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
