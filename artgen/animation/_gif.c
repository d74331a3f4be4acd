/* The GIF encoder's per-pixel work (artgen/animation/gif.py holds the rest): which pixels of a
 * frame must change for the picture to stay within the error bound, and a lossy LZW coder
 * that writes a frame's box choosing, pixel by pixel, among the palette indices the bound
 * allows the one that extends the longest string already in the LZW dictionary (a pixel that
 * need not change may only stay as it is).
 *
 * Errors are Chebyshev distances in RGB: the largest of the three channels' differences. A
 * pixel's "floor" is the distance from its true colour to the nearest palette colour: no
 * choice can do better, so the bound a pixel is held to is max(hold, floor).
 *
 * Symbols are palette indices 0-254 and 255, the transparent index (the pixel keeps what the
 * canvas shows). A "pinned" pixel must show exactly its `near` index: when the last image is
 * undone, the pixels it changed whose true colour stays are written back as they were, so
 * no pixel changes while its true colour stays. Single-threaded, integer-only: the bytes are
 * a pure function of the input.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CLEAR 256
#define END 257
#define FIRST_CODE 258
#define MAX_CODES 4096
#define TRANSPARENT 255
#define LOOKAHEAD 16 /* pixels followed down the dictionary when choosing between strings */
#define PLAIN_BONUS 2 /* pixels of reach the plain symbol's string is credited with */

static inline int distance(const uint8_t *a, const uint8_t *b) {
    int d0 = abs((int)a[0] - b[0]), d1 = abs((int)a[1] - b[1]), d2 = abs((int)a[2] - b[2]);
    int d = d0 > d1 ? d0 : d1;
    return d > d2 ? d : d2;
}

/* The palette index nearest `rgb` in the Chebyshev distance (the lowest index on a tie). */
static int nearest(const uint8_t *palette, int colors, const uint8_t *rgb) {
    int best = 0, dist = 256;
    for (int c = 0; c < colors; c++) {
        int d = distance(palette + 3 * c, rgb);
        if (d < dist) dist = d, best = c;
    }
    return best;
}

/* ---- which pixels must change ---- */

/* Whether `shown` is within the bound of pixel `true_rgb`, whose nearest index is `near`. */
static inline int within(const uint8_t *palette, int near, int shown, const uint8_t *true_rgb,
                         int hold) {
    if (shown == near) return 1; /* the nearest colour is always within max(hold, floor) */
    int floor = distance(palette + 3 * near, true_rgb);
    int bound = floor > hold ? floor : hold;
    return distance(palette + 3 * shown, true_rgb) <= bound;
}

/* Fixes `near` (Pillow's nearest index by RGB distance) where another index is closer in the
 * Chebyshev distance and the pixel is off by more than `hold`, then returns how many pixels
 * must change (their shown colour is further from the true one than max(hold, floor), or
 * they are pinned, if `pinned` is not NULL), and their box [y0, y1) x [x0, x1) (y0 = y1 = 0
 * when there are none). `shown` NULL: every pixel must change. */
static Py_ssize_t must_change(const uint8_t *rgb, uint8_t *near, const uint8_t *shown,
                              const uint8_t *pinned, const uint8_t *palette, Py_ssize_t width,
                              Py_ssize_t height, int hold, Py_ssize_t box[4]) {
    Py_ssize_t y0 = height, y1 = 0, x0 = width, x1 = 0, count = 0;
    for (Py_ssize_t y = 0; y < height; y++) {
        for (Py_ssize_t x = 0; x < width; x++) {
            Py_ssize_t p = y * width + x;
            const uint8_t *true_rgb = rgb + 3 * p;
            if (distance(palette + 3 * near[p], true_rgb) > hold)
                near[p] = (uint8_t)nearest(palette, TRANSPARENT, true_rgb);
            if (shown == NULL || (pinned && pinned[p]) ||
                !within(palette, near[p], shown[p], true_rgb, hold)) {
                count++;
                if (y < y0) y0 = y;
                if (y >= y1) y1 = y + 1;
                if (x < x0) x0 = x;
                if (x >= x1) x1 = x + 1;
            }
        }
    }
    if (y1 == 0) y0 = y1 = x0 = x1 = 0;
    box[0] = y0, box[1] = y1, box[2] = x0, box[3] = x1;
    return count;
}

/* ---- lossy LZW ---- */

typedef struct {
    uint8_t *data;
    Py_ssize_t size, capacity;
    uint32_t bits;
    int count;
} Codes;

static void put(Codes *out, int code, int width) {
    out->bits |= (uint32_t)code << out->count;
    out->count += width;
    while (out->count >= 8) {
        out->data[out->size++] = (uint8_t)out->bits;
        out->bits >>= 8;
        out->count -= 8;
    }
}

/* The LZW dictionary: each string's children as a list (to try every symbol a pixel allows)
 * and in a table by symbol (to look one up at once). The table's entries are valid when their
 * stamp is the dictionary's generation, so starting again costs no clearing. */
typedef struct {
    int16_t child[MAX_CODES], sibling[MAX_CODES]; /* first child, next sibling: -1 for none */
    uint8_t symbol[MAX_CODES];
    int16_t table[MAX_CODES * 256];
    uint16_t stamp[MAX_CODES * 256];
    uint16_t generation;
    int next, width;
} Dictionary;

static void reset(Dictionary *d) {
    for (int i = 0; i < FIRST_CODE; i++) d->child[i] = -1;
    if (++d->generation == 0) { /* after 65,535 starts: the stamps wrap */
        memset(d->stamp, 0, sizeof d->stamp);
        d->generation = 1;
    }
    d->next = FIRST_CODE;
    d->width = 9;
}

/* The string `code` followed by `symbol`, or -1. */
static inline int lookup(const Dictionary *d, int code, int symbol) {
    int i = code * 256 + symbol;
    return d->stamp[i] == d->generation ? d->table[i] : -1;
}

static void add(Dictionary *d, int code, int symbol) {
    int added = d->next++, i = code * 256 + symbol;
    d->symbol[added] = (uint8_t)symbol;
    d->child[added] = -1;
    d->sibling[added] = d->child[code];
    d->child[code] = (int16_t)added;
    d->table[i] = (int16_t)added;
    d->stamp[i] = d->generation;
}

#define CHANGE 0 /* a pixel's `keep`: it must change to a colour within the bound */
#define KEEP 1   /* what it shows is within the bound: it stays as it is */
#define PINNED 2 /* it must show its `near` index, exactly */

/* What a frame's box may show, pixel by pixel. */
typedef struct {
    const uint8_t *rgb, *near, *shown, *palette;
    const uint8_t *keep; /* CHANGE, KEEP or PINNED */
    int write;           /* a newly written colour is within this of the true one (or nearest) */
} Pixels;

/* Whether pixel p may take `symbol`. Where what it shows is within the bound: transparent or
 * its shown index, the same colour (so a pixel changes only when it must: no flicker); a
 * pinned pixel: its `near` index only; elsewhere its nearest index or any colour within
 * `write` of its true colour. */
static inline int allowed(const Pixels *px, Py_ssize_t p, int symbol) {
    if (px->keep[p] == KEEP) return symbol == TRANSPARENT || symbol == px->shown[p];
    if (symbol == px->near[p]) return 1;
    return px->keep[p] == CHANGE && distance(px->palette + 3 * symbol, px->rgb + 3 * p) <= px->write;
}

/* The symbol a pixel would take with no choice: transparent where allowed, else the nearest.
 * New strings start with it, so the dictionary grows with what a plain coder would see. */
static inline int plain(const Pixels *px, Py_ssize_t p) {
    return px->keep[p] == KEEP ? TRANSPARENT : px->near[p];
}

/* The first string that goes on from `code` with a symbol pixel q allows, or -1. A pixel
 * that keeps what it shows allows two symbols, looked up; any other, those its list holds. */
static inline int follow(const Dictionary *d, const Pixels *px, int code, Py_ssize_t q) {
    if (px->keep[q] == KEEP) {
        int c = lookup(d, code, TRANSPARENT);
        return c >= 0 ? c : lookup(d, code, px->shown[q]);
    }
    for (int c = d->child[code]; c >= 0; c = d->sibling[c])
        if (allowed(px, q, d->symbol[c])) return c;
    return -1;
}

/* How many pixels from p on the dictionary follows from `code` (code's own symbol at p). */
static int reach(const Dictionary *d, const Pixels *px, int code, Py_ssize_t p, Py_ssize_t n) {
    int length = 1;
    for (Py_ssize_t q = p + 1; q < n && length < LOOKAHEAD; q++, length++) {
        code = follow(d, px, code, q);
        if (code < 0) break;
    }
    return length;
}

/* The string to extend the current one with at pixel p: of the dictionary's strings that go
 * on from `code` with a symbol p allows, the one that reaches furthest, where the plain
 * symbol's string counts PLAIN_BONUS pixels more (a choice that saves no code would only fill
 * the dictionary with strings a plain coder never meets); -1 for none. */
static int extend(const Dictionary *d, const Pixels *px, int code, Py_ssize_t p, Py_ssize_t n) {
    if (px->keep[p] == KEEP) { /* transparent (the plain symbol) or the shown index: the same colour */
        int clear = lookup(d, code, TRANSPARENT), same = lookup(d, code, px->shown[p]);
        if (clear < 0 || same < 0) return clear >= 0 ? clear : same;
        int longer = reach(d, px, same, p, n) > reach(d, px, clear, p, n) + PLAIN_BONUS;
        return longer ? same : clear;
    }
    int best = -1, longest = 0, usual = plain(px, p);
    for (int c = d->child[code]; c >= 0; c = d->sibling[c]) {
        if (!allowed(px, p, d->symbol[c])) continue;
        if (best < 0) { /* the reach is measured only when there is a choice */
            best = c;
            continue;
        }
        if (longest == 0)
            longest = reach(d, px, best, p, n) + PLAIN_BONUS * (d->symbol[best] == usual);
        int length = reach(d, px, c, p, n) + PLAIN_BONUS * (d->symbol[c] == usual);
        if (length > longest) longest = length, best = c;
    }
    return best;
}

/* LZW codes (8-bit symbols) of the n pixels, each given a symbol it allows (`chosen`). */
static int encode(const Pixels *px, Py_ssize_t n, uint8_t *chosen, Codes *out) {
    Dictionary *d = calloc(1, sizeof(Dictionary)); /* stamps 0: no entry is valid yet */
    if (d == NULL) return -1;
    reset(d);
    put(out, CLEAR, d->width);
    int code = plain(px, 0);
    chosen[0] = (uint8_t)code;
    for (Py_ssize_t p = 1; p < n; p++) {
        int next = extend(d, px, code, p, n);
        if (next >= 0) {
            code = next;
            chosen[p] = d->symbol[next];
            continue;
        }
        put(out, code, d->width);
        int symbol = plain(px, p);
        if (d->next < MAX_CODES) {
            add(d, code, symbol);
            if (d->next > (1 << d->width) && d->width < 12) d->width++;
        } else { /* a full dictionary starts again */
            put(out, CLEAR, d->width);
            reset(d);
        }
        code = symbol;
        chosen[p] = (uint8_t)symbol;
    }
    put(out, code, d->width);
    put(out, END, d->width);
    if (out->count) out->data[out->size++] = (uint8_t)out->bits;
    free(d);
    return 0;
}

/* ---- Python ---- */

static int check(Py_buffer *b, Py_ssize_t size, const char *name) {
    if (b->len != size) {
        PyErr_Format(PyExc_ValueError, "%s holds %zd bytes, expected %zd", name, b->len, size);
        return -1;
    }
    return 0;
}

static PyObject *py_must_change(PyObject *self, PyObject *args) {
    Py_buffer rgb, near, shown = {0}, palette, pinned = {0};
    Py_ssize_t width, height;
    int hold;
    if (!PyArg_ParseTuple(args, "y*w*z*y*nni|z*", &rgb, &near, &shown, &palette, &width,
                          &height, &hold, &pinned))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n = width * height, box[4], count = 0;
    if (check(&rgb, 3 * n, "rgb") == 0 && check(&near, n, "near") == 0 &&
        (!shown.buf || check(&shown, n, "shown") == 0) && check(&palette, 768, "palette") == 0 &&
        (!pinned.buf || check(&pinned, n, "pinned") == 0)) {
        Py_BEGIN_ALLOW_THREADS
        count = must_change(rgb.buf, near.buf, shown.buf, pinned.buf, palette.buf, width, height,
                            hold, box);
        Py_END_ALLOW_THREADS
        result = Py_BuildValue("nnnnn", box[0], box[1], box[2], box[3], count);
    }
    PyBuffer_Release(&rgb);
    PyBuffer_Release(&near);
    PyBuffer_Release(&shown);
    PyBuffer_Release(&palette);
    PyBuffer_Release(&pinned);
    return result;
}

static PyObject *py_encode(PyObject *self, PyObject *args) {
    Py_buffer rgb, near, shown = {0}, palette, chosen, pinned = {0};
    Py_ssize_t n;
    int hold, write, failed;
    if (!PyArg_ParseTuple(args, "y*y*z*y*niiw*|z*", &rgb, &near, &shown, &palette, &n, &hold,
                          &write, &chosen, &pinned))
        return NULL;
    PyObject *result = NULL;
    uint8_t *keep = NULL;
    Codes out = {0};
    if (check(&rgb, 3 * n, "rgb") || check(&near, n, "near") ||
        (shown.buf && check(&shown, n, "shown")) || check(&palette, 768, "palette") ||
        check(&chosen, n, "chosen") || (pinned.buf && check(&pinned, n, "pinned")))
        goto done;
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "expected one pixel or more");
        goto done;
    }
    keep = calloc(n, 1);
    out.capacity = 2 * n + 64; /* at most one 12-bit code a pixel, and the clears */
    out.data = malloc(out.capacity);
    if (!keep || !out.data) {
        PyErr_NoMemory();
        goto done;
    }
    Pixels px = {rgb.buf, near.buf, shown.buf, palette.buf, keep, write};
    Py_BEGIN_ALLOW_THREADS
    if (px.shown) {
        const uint8_t *pin = pinned.buf;
        for (Py_ssize_t p = 0; p < n; p++) {
            if (pin && pin[p])
                keep[p] = px.shown[p] == px.near[p] ? KEEP : PINNED;
            else
                keep[p] = (uint8_t)within(px.palette, px.near[p], px.shown[p], px.rgb + 3 * p,
                                          hold);
        }
    }
    failed = encode(&px, n, chosen.buf, &out);
    Py_END_ALLOW_THREADS
    if (failed) PyErr_NoMemory();
    else result = PyBytes_FromStringAndSize((const char *)out.data, out.size);
done:
    free(keep);
    free(out.data);
    PyBuffer_Release(&rgb);
    PyBuffer_Release(&near);
    PyBuffer_Release(&shown);
    PyBuffer_Release(&palette);
    PyBuffer_Release(&chosen);
    PyBuffer_Release(&pinned);
    return result;
}

static PyMethodDef methods[] = {
    {"must_change", py_must_change, METH_VARARGS,
     "must_change(rgb, near, shown, palette, width, height, hold[, pinned]) -> (y0, y1, "
     "x0, x1, count): the box of the pixels to change (those off by more than the bound, and "
     "the pinned ones) and how many they are; fixes `near` in place where Pillow's is not the "
     "nearest by the largest channel difference"},
    {"encode", py_encode, METH_VARARGS,
     "encode(rgb, near, shown, palette, n, hold, write, chosen[, pinned]) -> LZW codes of n "
     "pixels (8-bit symbols, no sub-blocks); `chosen` receives each pixel's symbol; a pinned "
     "pixel shows its `near` index exactly"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_gif", "The GIF encoder's change boxes and lossy LZW coder.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__gif(void) { return PyModule_Create(&module); }
