package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// findChromium returns Debian's chromium, or fails the test: the browser
// check is part of the suite, not an optional extra.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found (looked for chromium in PATH and /usr/bin/chromium): " +
		"install Debian's package with scripts/install-chromium.sh (make test does) or apt-get install -y chromium")
	return ""
}

// chromium runs one headless Chromium with a throwaway profile, no network
// services, and its own process group, killed whole if ctx ends first.
func chromium(ctx context.Context, bin string, args ...string) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "newsdedup-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + filepath.Join(tmp, "profile")}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+tmp, "XDG_CONFIG_HOME="+tmp, "XDG_CACHE_HOME="+tmp,
		"DBUS_SESSION_BUS_ADDRESS=disabled:")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // helpers left behind, if any
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("chromium %s: timed out: %w", args, ctx.Err())
	}
	if err != nil {
		return nil, fmt.Errorf("chromium %s: %w\n%s", args, err, lastLines(stderr.String(), 10))
	}
	return stdout.Bytes(), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestReportInChromium opens report.html, built from the hostile corpus, in
// headless Chromium and proves that no script ran (the DOM Chromium ends with
// has its own title and no script or img element; the hostile strings are
// text) and that the page renders (the screenshot is not blank).
//
// A control page that runs the same two payloads without the report's
// escaping and CSP must come back titled PWNED: that shows the checks would
// see a script that ran.
func TestReportInChromium(t *testing.T) {
	bin := findChromium(t)
	start := time.Now()
	dir, _ := hostileCorpus(t)
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "--quiet", "--out", out, dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	page, err := filepath.Abs(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	control := filepath.Join(out, "control.html")
	if err := os.WriteFile(control, []byte("<!DOCTYPE html><html><head><title>control</title>"+scriptTitle+
		"</head><body><p>"+imgTitle+"</p></body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(out, "report.png")

	// Three browsers at once: they spend most of their time waiting.
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	browserStart := time.Now()
	var wg sync.WaitGroup
	var dom, controlDOM []byte
	var domErr, controlErr, shotErr error
	wg.Add(3)
	go func() { defer wg.Done(); dom, domErr = chromium(ctx, bin, "--dump-dom", "file://"+page) }()
	go func() { defer wg.Done(); controlDOM, controlErr = chromium(ctx, bin, "--dump-dom", "file://"+control) }()
	go func() {
		defer wg.Done()
		_, shotErr = chromium(ctx, bin, "--hide-scrollbars", "--window-size=1280,2000", "--screenshot="+shot, "file://"+page)
	}()
	wg.Wait()
	t.Logf("three headless Chromium runs in parallel: %v (with the corpus and report: %v)",
		time.Since(browserStart).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	if err := errors.Join(domErr, controlErr, shotErr); err != nil {
		t.Fatal(err)
	}

	// The control: an unprotected page does run both payloads.
	if title := titleOf(t, controlDOM); title != "PWNED" {
		t.Fatalf("control page title %q, want PWNED: the browser check cannot see scripts run", title)
	}

	// The report: no script ran, no active element exists, on the entry
	// page and on the pages it links to (the list of all stories and the
	// first stories' pages), loaded by the browser as well.
	shown, links := checkRenderedPage(t, out, "report.html", dom)
	if title := titleOf(t, dom); !strings.HasPrefix(title, "Stories and copies") {
		t.Errorf("report title in the browser is %q: a script ran or the page did not load", title)
	}
	var more []string
	for _, l := range links {
		if (strings.HasPrefix(l, "stories/s-") || strings.HasPrefix(l, "stories/list-")) && !slices.Contains(more, l) && len(more) < 4 {
			more = append(more, l)
		}
	}
	if len(more) < 2 {
		t.Errorf("the entry page links to %v: want story pages and the list of all stories", more)
	}
	for _, l := range more {
		pageDOM, err := chromium(ctx, bin, "--dump-dom", "file://"+filepath.Join(filepath.Dir(page), filepath.FromSlash(l)))
		if err != nil {
			t.Fatal(err)
		}
		text, _ := checkRenderedPage(t, out, l, pageDOM)
		shown += text
	}
	// The hostile strings are shown, as text.
	for _, s := range []string{scriptTitle, imgTitle, imgTitle + ".txt", "<script>alert(1)<", "=SUM(1+1).txt", "café 日本.txt",
		"Mountain pass closed after rockfall", "binary content (PDF)", "decompressed size exceeds limit"} {
		if !strings.Contains(shown, s) {
			t.Errorf("rendered report does not show %q as text", s)
		}
	}

	// The page renders: a full-size screenshot with real content on it.
	checkScreenshot(t, shot)
}

// checkRenderedPage checks the DOM the browser made of the page at path
// (relative to out): no script ran (the title was not changed), no active
// element or event handler exists, links go to http(s) pages or to the
// report's own pages, which exist, and the CSP is there. It returns the
// page's text and its links to the report's pages, relative to out.
func checkRenderedPage(t *testing.T, out, path string, dom []byte) (string, []string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	if title := titleOf(t, dom); strings.Contains(title, "PWNED") {
		t.Errorf("%s: title in the browser is %q: a script ran", path, title)
	}
	var text strings.Builder
	var links []string
	elements := 0
	csp := false
	walk(doc, func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			elements++
			switch n.Data {
			case "script", "img", "iframe", "object", "embed", "frame", "base", "form", "svg", "math":
				t.Errorf("%s: <%s> element in the rendered page", path, n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s=%q> event handler in the rendered page", path, n.Data, a.Key, a.Val)
				}
				if a.Key == "src" || (a.Key == "href" && n.Data != "a") {
					t.Errorf("%s: <%s %s=%q> loads something", path, n.Data, a.Key, a.Val)
				}
				if a.Key == "href" && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://") {
					target := filepath.Join(filepath.Dir(path), filepath.FromSlash(strings.SplitN(a.Val, "#", 2)[0]))
					if strings.Contains(a.Val, ":") || strings.HasPrefix(target, "..") {
						t.Errorf("%s: <a href=%q>: a link out of the report", path, a.Val)
					} else if _, err := os.Stat(filepath.Join(out, target)); err != nil {
						t.Errorf("%s: <a href=%q>: a broken link", path, a.Val)
					} else {
						links = append(links, filepath.ToSlash(target))
					}
				}
				if n.Data == "meta" && strings.EqualFold(a.Val, "Content-Security-Policy") {
					csp = true
				}
			}
		}
	})
	if !csp {
		t.Errorf("%s: no Content-Security-Policy meta in the rendered page", path)
	}
	if elements < 40 {
		t.Errorf("%s: rendered page has only %d elements", path, elements)
	}
	return text.String(), links
}

func titleOf(t *testing.T, dom []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "title" {
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			titles = append(titles, b.String())
		}
	})
	if len(titles) != 1 {
		t.Fatalf("%d <title> elements in the DOM, want 1", len(titles))
	}
	return titles[0]
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// checkScreenshot decodes the PNG and wants the window's size, many
// colours, and ink (pixels unlike the dominant background) on a fair share
// of it: a blank or error page fails.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
	}
	counts := map[[3]uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
		}
	}
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	total := b.Dx() * b.Dy()
	ink := float64(total-top) / float64(total)
	t.Logf("screenshot %dx%d: %d colours, %.1f%% of pixels differ from the background", b.Dx(), b.Dy(), len(counts), 100*ink)
	if len(counts) < 32 || ink < 0.05 {
		t.Errorf("screenshot looks blank: %d colours, %.1f%% non-background pixels", len(counts), 100*ink)
	}
}
