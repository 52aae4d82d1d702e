// Command httpserve serves a directory with net/http over a uringnet
// listener: accept, reads and writes of every connection run on io_uring,
// while net/http's server, keep-alive handling and http.FileServer are
// used unchanged.
//
//	go run ./examples/httpserve -addr 127.0.0.1:8080 -dir .
//	curl http://127.0.0.1:8080/README.md
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/uringkit/uring/uringnet"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
}

// run parses the flags, listens and serves until the listener is closed.
// started, if not nil, receives the listener once it listens.
func run(args []string, out io.Writer, started chan<- net.Listener) error {
	fs := flag.NewFlagSet("httpserve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fs.String("dir", ".", "directory to serve")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if st, err := os.Stat(*dir); err != nil {
		return err
	} else if !st.IsDir() {
		return fmt.Errorf("httpserve: %s is not a directory", *dir)
	}
	ln, err := uringnet.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "httpserve: serving %s on http://%s/\n", *dir, ln.Addr())
	if started != nil {
		started <- ln
	}
	srv := &http.Server{
		Handler:           http.FileServer(http.Dir(*dir)),
		ReadHeaderTimeout: 10 * time.Second, // exercises uringnet's read deadlines
	}
	err = srv.Serve(ln)
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
