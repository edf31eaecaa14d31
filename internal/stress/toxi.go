package stress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
)

// Toxiproxy is an in-process Toxiproxy server (github.com/Shopify/toxiproxy/v2):
// its proxy collection and toxics, driven directly rather than through the
// HTTP API, which is not started. Every proxy listens on 127.0.0.1 and
// forwards to a loopback upstream.
type Toxiproxy struct {
	srv *toxiproxy.ApiServer
}

// NewToxiproxy starts an empty server (no metrics, no logs).
func NewToxiproxy() *Toxiproxy {
	return &Toxiproxy{srv: toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())}
}

// Proxy is one TCP proxy with its toxics.
type Proxy struct {
	p *toxiproxy.Proxy
}

// Proxy starts a proxy named name on a free port of 127.0.0.1 in front of
// upstream, an http URL on loopback such as AWS_ENDPOINT_URL_DYNAMODB.
func (x *Toxiproxy) Proxy(name, upstream string) (*Proxy, error) {
	u, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	host, _, err := net.SplitHostPort(u.Host)
	if err != nil {
		return nil, fmt.Errorf("upstream %s: %w", upstream, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("upstream %s is not on loopback", upstream)
	}
	p := toxiproxy.NewProxy(x.srv, name, "127.0.0.1:0", u.Host)
	if err := x.srv.Collection.Add(p, true); err != nil {
		return nil, fmt.Errorf("start proxy %s: %w", name, err)
	}
	return &Proxy{p: p}, nil
}

// Close stops every proxy, closing their connections.
func (x *Toxiproxy) Close() error { return x.srv.Collection.Clear() }

// URL is the proxy's address as an http endpoint for the SDK.
func (p *Proxy) URL() string { return "http://" + p.p.Listen }

// Toxic adds a toxic: typ is latency, timeout, reset_peer, limit_data,
// bandwidth, slicer or slow_close; stream is "upstream" (client to server)
// or "downstream"; toxicity is the share of connections it applies to;
// attrs are the toxic's attributes (for example {"timeout": 0}). Existing
// connections get it too.
func (p *Proxy) Toxic(name, typ, stream string, toxicity float32, attrs map[string]any) error {
	body, err := json.Marshal(map[string]any{"name": name, "type": typ, "stream": stream, "toxicity": toxicity, "attributes": attrs})
	if err != nil {
		return err
	}
	if _, err := p.p.Toxics.AddToxicJson(bytes.NewReader(body)); err != nil {
		return fmt.Errorf("proxy %s: toxic %s (%s): %w", p.p.Name, name, typ, err)
	}
	return nil
}

// Remove removes the toxic called name.
func (p *Proxy) Remove(name string) error {
	return p.p.Toxics.RemoveToxic(context.Background(), name)
}

// Reset removes every toxic.
func (p *Proxy) Reset() { p.p.Toxics.ResetToxics(context.Background()) }

// Disable closes the listener and every open connection: the link is cut
// and new connections are refused until Enable.
func (p *Proxy) Disable() { p.p.Stop() }

// Enable listens again on the same address.
func (p *Proxy) Enable() error {
	if err := p.p.Start(); err != nil && !errors.Is(err, toxiproxy.ErrProxyAlreadyStarted) {
		return fmt.Errorf("proxy %s: %w", p.p.Name, err)
	}
	return nil
}
