// Package local implements newsdedup's storage on one machine: Folder is
// the BlobStore (a directory plays the bucket) and Store is the
// SignatureStore (a bbolt file plays the table).
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/newsdedup/newsdedup/internal/dedup"
)

// ErrBadKey is wrapped by the errors Folder returns for keys that are empty,
// absolute, or would leave the root directory.
var ErrBadKey = errors.New("invalid blob key")

// Folder is a dedup.BlobStore over a directory. Keys are slash-separated
// paths relative to the root.
type Folder struct {
	root string
}

var _ dedup.BlobStore = (*Folder)(nil)

// NewFolder returns a Folder rooted at dir. The directory need not exist
// yet: Put creates it.
func NewFolder(dir string) *Folder {
	return &Folder{root: dir}
}

// Root returns the directory the Folder was created with.
func (f *Folder) Root() string { return f.root }

// path maps a key to a file name under the root, refusing keys that escape
// it. The check is lexical; symlinks the user placed inside the folder are
// followed on purpose (Walk reports symlinked files).
func (f *Folder) path(key string) (string, error) {
	if key == "" {
		return "", fmt.Errorf("local: %w: empty", ErrBadKey)
	}
	if strings.HasPrefix(key, "/") || strings.ContainsRune(key, 0) {
		return "", fmt.Errorf("local: %w %q: absolute or contains NUL", ErrBadKey, key)
	}
	p := filepath.FromSlash(key)
	// IsLocal cleans p and rejects absolute paths, ".." escapes and, on
	// Windows, volume names and reserved device names.
	if !filepath.IsLocal(p) {
		return "", fmt.Errorf("local: %w %q: escapes the folder root", ErrBadKey, key)
	}
	if filepath.Clean(p) == "." {
		return "", fmt.Errorf("local: %w %q: names the folder root", ErrBadKey, key)
	}
	return filepath.Join(f.root, p), nil
}

// Get opens the regular file at key. A missing file, or a directory at key,
// gives an error wrapping dedup.ErrNotFound.
func (f *Folder) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := f.path(key)
	if err != nil {
		return nil, err
	}
	// Stat before Open: opening a FIFO for reading would block until some
	// writer appears.
	info, err := os.Stat(p)
	if err != nil {
		// ENOTDIR: a path component is a file ("a.txt/b"), so no object either.
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, fmt.Errorf("local: get %q: %w", key, dedup.ErrNotFound)
		}
		return nil, fmt.Errorf("local: get %q: %w", key, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("local: get %q: is a directory: %w", key, dedup.ErrNotFound)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("local: get %q: not a regular file (%s)", key, info.Mode().Type())
	}
	file, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("local: get %q: %w", key, dedup.ErrNotFound) // removed since the Stat
	}
	if err != nil {
		return nil, fmt.Errorf("local: get %q: %w", key, err)
	}
	return file, nil
}

// Put writes body to key atomically: it writes a hidden temporary file in
// the target directory, fsyncs it, renames it over the target and fsyncs the
// directory, so readers and a crash see the old or the new content, never a
// part. Parent directories are created. contentType is ignored: files carry
// none.
func (f *Folder) Put(ctx context.Context, key string, body []byte, contentType string) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := f.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("local: put %q: %w", key, err)
	}
	// The dot prefix keeps a temp file left by a crash out of Walk.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(p)+".tmp-*")
	if err != nil {
		return fmt.Errorf("local: put %q: %w", key, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("local: put %q: %w", key, err)
		}
	}()
	if _, err = tmp.Write(body); err != nil {
		return err
	}
	// CreateTemp makes 0600 files; blobs are ordinary user files.
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), p); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows cannot fsync a directory
// (and does not need to), so an error from Sync there is not fatal.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// Walk calls fn for every regular file under the root, with its key
// (slash-separated, relative to the root) and its FileInfo. It visits
// entries depth-first in lexical order of names within each directory, so
// the order is deterministic. It skips:
//   - names starting with "." (hidden files and directories, Put's temp files);
//   - symlinks to directories, so a link cannot make Walk loop;
//   - dangling symlinks and non-regular files (FIFOs, sockets, devices),
//     which are not articles and which Get could block on.
//
// Symlinks to regular files are reported with the target's FileInfo.
// A missing root is an error wrapping fs.ErrNotExist. An error from fn stops
// the walk and is returned as is.
func (f *Folder) Walk(ctx context.Context, fn func(key string, info fs.FileInfo) error) error {
	root := f.root
	// WalkDir does not descend into a root that is itself a symlink; the
	// user named that folder, so walk its target.
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if root, err = filepath.EvalSymlinks(root); err != nil {
			return fmt.Errorf("local: walk %s: %w", f.root, err)
		}
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == root {
			return nil // the root itself may be hidden ("./.data"); only its contents are filtered
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		var info fs.FileInfo
		if d.Type()&fs.ModeSymlink != 0 {
			info, err = os.Stat(p) // follow the link to learn what it points at
			if err != nil {
				return nil // dangling or unreadable link: nothing to ingest
			}
		} else {
			info, err = d.Info()
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil // removed since the directory was read
				}
				return err
			}
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel), info)
	})
}
