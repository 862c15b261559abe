// Package clientport passes the client's TCP source port on to the services (MB-16.2, PA-16.2: the user log
// records the network address and source port). Traefik's X-Forwarded-For names the address only; this
// middleware sets the configured header (X-Client-Port) to the port of the connection the gateway accepted,
// replacing whatever the client sent. A Traefik local plugin (interpreted by Traefik's own Yaegi): no
// download, no build step. The services trust the header only where they trust X-Forwarded-For.
package clientport

import (
	"context"
	"net"
	"net/http"
)

// Config names the header the port is passed on in.
type Config struct {
	Header string `json:"header,omitempty"`
}

// CreateConfig is the default configuration.
func CreateConfig() *Config { return &Config{Header: "X-Client-Port"} }

type clientPort struct {
	next   http.Handler
	header string
}

// New makes the middleware in front of next.
func New(ctx context.Context, next http.Handler, config *Config, name string) (http.Handler, error) {
	return &clientPort{next: next, header: config.Header}, nil
}

func (c *clientPort) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	req.Header.Del(c.header)
	if _, port, err := net.SplitHostPort(req.RemoteAddr); err == nil {
		req.Header.Set(c.header, port)
	}
	c.next.ServeHTTP(rw, req)
}
