"""Black-box checks of the quickstart against a hostile Finpass stand-in on loopback:
a malformed 2xx full of personal data, and 200s that declare or stream 4 GiB. Usage:
python3 .ci/hostile_quickstart.py path/to/quickstart-binary

Prints wall time and peak memory per case; fails on a leaked value, a missing status or size-limit
message, or peak memory over 300 MB (the body cap is 64 MiB). Time is reported, not asserted."""
import os, resource, socket, subprocess, sys, threading, time

PII = {"pan": "ABCPE1234Q", "mobile": "9812345678", "email": "ravi.k@example.in"}
MALFORMED = ('{"success": true, "data": {"client_id": 42, "pan": "%(pan)s", "mobile": "%(mobile)s",'
             ' "email": "%(email)s"}}' % PII).encode()

def answer(conn, mode):
    try:
        conn.recv(65536)
        if mode == "malformed-2xx":
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
                         % len(MALFORMED) + MALFORMED)
        elif mode == "declared-4GiB":
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                         b"content-length: 4294967296\r\n\r\n")
            for _ in range(65536):
                conn.sendall(b" " * 65536)
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                         b"transfer-encoding: chunked\r\n\r\n")
            for _ in range(65536):
                conn.sendall(b"10000\r\n" + b" " * 65536 + b"\r\n")
    except OSError:
        pass  # the client hung up: what a capped read does
    finally:
        conn.close()

def serve(listener, mode):
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=answer, args=(conn, mode), daemon=True).start()

def run(binary, mode):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    threading.Thread(target=serve, args=(listener, mode), daemon=True).start()
    env = dict(os.environ, FINPASS_API_KEY="ci-key", FINPASS_API_SECRET="ci-secret",
               FINPASS_BASE_URL="http://127.0.0.1:%d" % listener.getsockname()[1])
    started = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = proc.communicate(timeout=120)
    elapsed = time.monotonic() - started
    listener.close()
    return proc.returncode, out.decode(errors="replace"), elapsed

def main():
    binary = sys.argv[1]
    failures = []
    for mode in ["malformed-2xx", "declared-4GiB", "streamed-4GiB"]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        code, out, elapsed = run(binary, mode)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print("%s: exit %d in %.2f s, peak RSS of the children so far %.0f MB" % (mode, code, elapsed, peak_mb))
        print("  " + out.strip().replace("\n", "\n  "))
        if code == 0:
            failures.append(mode + ": the quickstart succeeded")
        if "HTTP status:  200" not in out:
            failures.append(mode + ": no HTTP status 200 in the output")
        leaked = [name for name, value in PII.items() if value in out]
        if leaked:
            failures.append(mode + ": leaked " + ", ".join(leaked))
        if mode != "malformed-2xx" and "limit" not in out:
            failures.append(mode + ": the output does not name the size limit")
        if peak_mb > 300:
            failures.append(mode + ": peak memory %.0f MB" % peak_mb)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)

main()
