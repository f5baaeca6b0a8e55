"""moto's S3 server that can stall: the backup fault tests' S3.

    python s3_stall_server.py <port> <flag file>

Serves moto's S3 on 127.0.0.1:<port>. While <flag file> exists, every part upload
(`PUT ...?partNumber=N&uploadId=...`) hangs without an answer, as a stalled S3 or network
would; everything else (creating and aborting uploads, listing) is answered. Killing the
process is S3 dying.
"""

import os
import sys
import time

from moto.moto_server.threaded_moto_server import MotoRequestHandler
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def stalling(app, flag):
    def wrapped(environ, start_response):
        is_part = environ.get("REQUEST_METHOD") == "PUT" and "partNumber=" in environ.get("QUERY_STRING", "")
        if is_part and os.path.exists(flag):
            print("stalling a part upload", flush=True)
            while os.path.exists(flag):
                time.sleep(0.2)
        return app(environ, start_response)

    return wrapped


def main():
    port, flag = int(sys.argv[1]), sys.argv[2]
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, stalling(app, flag), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
