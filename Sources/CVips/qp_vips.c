#include "qp_vips.h"
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

/* libvips is opened on the first image, not linked: with the hundred libraries it loads (codecs, pango,
   cairo, HDF5, OpenEXR, TLS) it is about 18 MiB of the resident memory of every qpress process, and most
   sites and commands decode no image. vips.h still gives the types; glib and gobject stay linked. */
#define QP_VIPS_FUNCTIONS(X) \
    X(vips_area_unref) \
    X(vips_array_double_new) \
    X(vips_autorot) \
    X(vips_cache_set_max) \
    X(vips_cast_uchar) \
    X(vips_colourspace) \
    X(vips_concurrency_set) \
    X(vips_copy) \
    X(vips_error_buffer_copy) \
    X(vips_error_clear) \
    X(vips_flatten) \
    X(vips_foreign_find_load_buffer) \
    X(vips_icc_transform) \
    X(vips_image_copy_memory) \
    X(vips_image_get_bands) \
    X(vips_image_get_format) \
    X(vips_image_get_height) \
    X(vips_image_get_interpretation) \
    X(vips_image_get_n_pages) \
    X(vips_image_get_orientation) \
    X(vips_image_get_typeof) \
    X(vips_image_get_width) \
    X(vips_image_hasalpha) \
    X(vips_image_map) \
    X(vips_image_new_from_buffer) \
    X(vips_image_new_from_memory_copy) \
    X(vips_image_remove) \
    X(vips_image_write_to_memory) \
    X(vips_init) \
    X(vips_jpegsave_buffer) \
    X(vips_pngsave_buffer) \
    X(vips_resize) \
    X(vips_thumbnail_buffer) \
    X(vips_webpsave_buffer)

#define QP_POINTER(name) __typeof__(name) *name;
static struct { QP_VIPS_FUNCTIONS(QP_POINTER) } lib;
static char open_error[256];

/* The library by its ABI version (the soname the headers were built against) and the functions used here.
   Returns 0 on success; otherwise open_error says why. */
static int open_libvips(void) {
    char soname[32];
    snprintf(soname, sizeof(soname), "libvips.so.%d", VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE);
    void *library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(open_error, sizeof(open_error), "cannot open %s: %s", soname, dlerror());
        return -1;
    }
#define QP_RESOLVE(name) \
    if (!(lib.name = (__typeof__(name) *)dlsym(library, #name))) { \
        snprintf(open_error, sizeof(open_error), "%s has no %s", soname, #name); \
        return -1; \
    }
    QP_VIPS_FUNCTIONS(QP_RESOLVE)
    return 0;
}

struct qp_image { VipsImage *image; };

int qp_vips_init(void) {
    /* The build's peak memory is glibc's, not libvips': glibc's sliding mmap threshold soon puts
       libvips' large short-lived buffers (decoded rows, codec buffers, the source file) on the malloc
       heaps, where they stay mapped. Buffers of a megabyte or more are always mapped and unmapped;
       what smaller ones leave is returned after each image (qp_release_memory). */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if (open_libvips() || lib.vips_init("qpress")) return -1;
    /* Swift runs one image per core; vips' own thread pool on top would only oversubscribe. */
    lib.vips_concurrency_set(1);
    /* Every image is decoded once; the operation cache would only hold memory. */
    lib.vips_cache_set_max(0);
    return 0;
}

static int has_alpha(VipsImage *image) {
    return lib.vips_image_hasalpha(image);
}

int qp_probe(const void *data, size_t length, qp_image_info *info) {
    memset(info, 0, sizeof(*info));
    const char *loader = lib.vips_foreign_find_load_buffer(data, length);
    if (!loader) return -1;
    VipsImage *image = lib.vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return -1;
    info->width = lib.vips_image_get_width(image);
    info->height = lib.vips_image_get_height(image);
    info->bands = lib.vips_image_get_bands(image);
    info->pages = lib.vips_image_get_n_pages(image);
    info->orientation = lib.vips_image_get_orientation(image);
    VipsBandFormat format = lib.vips_image_get_format(image);
    info->bits = format == VIPS_FORMAT_UCHAR || format == VIPS_FORMAT_CHAR ? 8
               : format == VIPS_FORMAT_USHORT || format == VIPS_FORMAT_SHORT ? 16 : 32;
    info->has_alpha = has_alpha(image);
    info->has_icc = lib.vips_image_get_typeof(image, VIPS_META_ICC_NAME) != 0;
    VipsInterpretation interpretation = lib.vips_image_get_interpretation(image);
    info->is_cmyk = interpretation == VIPS_INTERPRETATION_CMYK;
    info->is_grey = interpretation == VIPS_INTERPRETATION_B_W || interpretation == VIPS_INTERPRETATION_GREY16;
    strncpy(info->loader, loader, sizeof(info->loader) - 1);
    g_object_unref(image);
    return 0;
}

static void *collect_metadata(VipsImage *image, const char *name, GValue *value, void *names) {
    (void)image; (void)value;
    if (strcmp(name, "width") && strcmp(name, "height") && strcmp(name, "bands") && strcmp(name, "format")
        && strcmp(name, "coding") && strcmp(name, "interpretation") && strcmp(name, "xoffset")
        && strcmp(name, "yoffset") && strcmp(name, "xres") && strcmp(name, "yres") && strcmp(name, "filename"))
        g_ptr_array_add(names, g_strdup(name));
    return NULL;
}

/* libvips 8.14's webpsave keeps EXIF and ICC despite "strip": the fields go before any encoder sees them. */
static void strip_metadata(VipsImage *image) {
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    lib.vips_image_map(image, collect_metadata, names);
    for (guint i = 0; i < names->len; i++) lib.vips_image_remove(image, g_ptr_array_index(names, i));
    g_ptr_array_free(names, TRUE);
}

/* Whether the pixels need an ICC transform to become sRGB: an embedded profile, or CMYK (which without
   one gets libvips' default CMYK profile). Read from the header alone. */
static int needs_colour_management(const void *data, size_t length) {
    VipsImage *header = lib.vips_image_new_from_buffer(data, length, "", NULL);
    if (!header) { lib.vips_error_clear(); return 1; }
    int needed = lib.vips_image_get_typeof(header, VIPS_META_ICC_NAME) != 0
              || lib.vips_image_get_interpretation(header) == VIPS_INTERPRETATION_CMYK;
    g_object_unref(header);
    return needed;
}

static qp_image *load_sized(const void *data, size_t length, int width, VipsSize size) {
    VipsImage *thumbnail = NULL, *converted = NULL, *copied = NULL;
    /* thumbnail_buffer shrinks on load (JPEG), renders a drawing at its target scale and applies the EXIF
       orientation. A source with a profile (or CMYK) is imported through it into sRGB, resampled in the
       profile connection space. One without is sRGB already: sent through lcms it would be resampled in
       float Lab and exported again, twice the work for an sRGB → sRGB identity, so it is resampled as it is. */
    int failed = needs_colour_management(data, length)
        ? lib.vips_thumbnail_buffer((void *)data, length, &thumbnail, width, "height", VIPS_MAX_COORD, "size", size,
                                "export_profile", "srgb", "option_string", "fail_on=truncated", NULL)
        : lib.vips_thumbnail_buffer((void *)data, length, &thumbnail, width, "height", VIPS_MAX_COORD, "size", size,
                                "option_string", "fail_on=truncated", NULL);
    if (failed) return NULL;
    VipsInterpretation interpretation = lib.vips_image_get_interpretation(thumbnail);
    int grey = interpretation == VIPS_INTERPRETATION_B_W || interpretation == VIPS_INTERPRETATION_GREY16;
    /* 16-bit sources come down to 8 bits per channel: the web formats' own depth. */
    failed = lib.vips_colourspace(thumbnail, &converted, grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(thumbnail);
    if (failed) return NULL;
    VipsImage *cast = NULL;
    failed = lib.vips_cast_uchar(converted, &cast, NULL);
    g_object_unref(converted);
    if (failed) return NULL;
    copied = lib.vips_image_copy_memory(cast);
    g_object_unref(cast);
    if (!copied) return NULL;
    strip_metadata(copied);
    qp_image *result = g_malloc(sizeof(qp_image));
    result->image = copied;
    return result;
}

qp_image *qp_load_web(const void *data, size_t length, int max_width) {
    return load_sized(data, length, max_width, VIPS_SIZE_DOWN);
}

qp_image *qp_rasterize(const void *data, size_t length, int width) {
    return load_sized(data, length, width, VIPS_SIZE_BOTH);
}

int qp_image_width(const qp_image *image) { return lib.vips_image_get_width(image->image); }
int qp_image_height(const qp_image *image) { return lib.vips_image_get_height(image->image); }
int qp_image_has_alpha(const qp_image *image) { return has_alpha(image->image); }

static int encode(VipsImage *image, qp_format format, int quality, void **out, size_t *length) {
    switch (format) {
    case QP_JPEG: {
        /* JPEG has no alpha: flatten onto white, as a page would show it. */
        VipsImage *flat = NULL;
        if (has_alpha(image)) {
            double white[] = {255, 255, 255};
            VipsArrayDouble *background = lib.vips_array_double_new(white, 3);
            int failed = lib.vips_flatten(image, &flat, "background", background, NULL);
            lib.vips_area_unref(VIPS_AREA(background));
            if (failed) return -1;
            image = flat;
        }
        /* Huffman tables optimized, baseline: progressive (interlace) doubles the encoding time for a file
           within ±4% of the size, and this fallback is what only browsers without WebP fetch. */
        int failed = lib.vips_jpegsave_buffer(image, out, length, "Q", quality, "strip", TRUE,
                                          "optimize_coding", TRUE, NULL);
        if (flat) g_object_unref(flat);
        return failed;
    }
    case QP_PNG:
        /* zlib level 6 rather than 9: a third of the time for files 5–14% larger (a chart's fallback). */
        return lib.vips_pngsave_buffer(image, out, length, "strip", TRUE, "compression", 6, NULL);
    case QP_WEBP:
        /* Effort 2, not libwebp's default 4: 40–45% of the time, the largest part of a photo's web work,
           for files 0.4–4% larger (phone photos) to 7–11% (the sample site's smooth pictures). Effort 3 is
           no faster than 4. */
        return lib.vips_webpsave_buffer(image, out, length, "Q", quality, "strip", TRUE, "effort", 2, NULL);
    }
    return -1;
}

int qp_save_web(const qp_image *image, int width, qp_format format, int quality,
                void **out, size_t *out_length, int *out_width, int *out_height) {
    VipsImage *source = image->image, *resized = NULL;
    int current = lib.vips_image_get_width(source);
    if (width < current) {
        if (lib.vips_resize(source, &resized, (double)width / current, "kernel", VIPS_KERNEL_LANCZOS3, NULL)) return -1;
        source = resized;
    }
    *out_width = lib.vips_image_get_width(source);
    *out_height = lib.vips_image_get_height(source);
    int failed = encode(source, format, quality, out, out_length);
    if (resized) g_object_unref(resized);
    return failed;
}

/* Replaces *image by the result of an operation that succeeded (status 0); frees the old one. */
static int step(VipsImage **image, VipsImage **result, int status) {
    if (status) return -1;
    g_object_unref(*image);
    *image = *result;
    return 0;
}

static int flatten_white(VipsImage **image) {
    int n = lib.vips_image_get_bands(*image) - 1;
    int cmyk = lib.vips_image_get_interpretation(*image) == VIPS_INTERPRETATION_CMYK;
    double level = lib.vips_image_get_format(*image) == VIPS_FORMAT_USHORT ? 65535 : 255;
    double white[4] = {0, 0, 0, 0};
    for (int i = 0; i < n && i < 4; i++) white[i] = cmyk ? 0 : level;
    VipsArrayDouble *background = lib.vips_array_double_new(white, n < 4 ? n : 4);
    VipsImage *flat = NULL;
    int failed = lib.vips_flatten(*image, &flat, "background", background, "max_alpha", level, NULL);
    lib.vips_area_unref(VIPS_AREA(background));
    return step(image, &flat, failed);
}

/* Grey to one 8-bit band; colour to the press profile, or to sRGB for the screen. */
static int print_colour(VipsImage **image, const char *profile) {
    VipsImage *t = NULL;
    VipsInterpretation interpretation = lib.vips_image_get_interpretation(*image);
    if (interpretation == VIPS_INTERPRETATION_B_W || interpretation == VIPS_INTERPRETATION_GREY16)
        return step(image, &t, lib.vips_colourspace(*image, &t, VIPS_INTERPRETATION_B_W, NULL));
    int cmyk = interpretation == VIPS_INTERPRETATION_CMYK;
    int embedded = lib.vips_image_get_typeof(*image, VIPS_META_ICC_NAME) != 0;
    if (profile && cmyk && !embedded) return 0;
    /* The screen proof of an image without a profile: sRGB already, and sRGB → sRGB would only round. */
    if (!profile && !embedded && interpretation == VIPS_INTERPRETATION_sRGB
        && lib.vips_image_get_format(*image) == VIPS_FORMAT_UCHAR) return 0;
    const char *input = cmyk ? (profile ? profile : "cmyk") : "srgb";
    return step(image, &t, lib.vips_icc_transform(*image, &t, profile ? profile : "srgb", "embedded", TRUE,
                                             "input_profile", input, "intent", VIPS_INTENT_RELATIVE,
                                             "black_point_compensation", TRUE, "depth", 8, NULL));
}

int qp_save_print(const void *data, size_t length, const char *profile, int width, int quality,
                  void **out, size_t *out_length, int *out_width, int *out_height, int *out_bands) {
    VipsImage *image = lib.vips_image_new_from_buffer(data, length, "", "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    if (!image) return -1;
    VipsImage *t = NULL;
    int failed = step(&image, &t, lib.vips_autorot(image, &t, NULL));
    if (!failed && lib.vips_image_hasalpha(image)) failed = flatten_white(&image);
    /* Resampled before the ICC transform, so lcms converts only the pixels placed: a 4000 px phone photo
       at 350 ppi across 145 mm keeps a quarter of them, and its print copy takes half the time. */
    int current = lib.vips_image_get_width(image);
    if (!failed && width > 0 && width < current)
        failed = step(&image, &t, lib.vips_resize(image, &t, (double)width / current, "kernel", VIPS_KERNEL_LANCZOS3, NULL));
    if (!failed) failed = print_colour(&image, profile);
    if (!failed && lib.vips_image_get_format(image) != VIPS_FORMAT_UCHAR) failed = step(&image, &t, lib.vips_cast_uchar(image, &t, NULL));
    if (!failed) failed = step(&image, &t, lib.vips_copy(image, &t, NULL));
    if (!failed) {
        strip_metadata(image);
        *out_width = lib.vips_image_get_width(image);
        *out_height = lib.vips_image_get_height(image);
        *out_bands = lib.vips_image_get_bands(image);
        failed = lib.vips_jpegsave_buffer(image, out, out_length, "Q", quality, "strip", TRUE,
                                      "optimize_coding", TRUE, "interlace", FALSE, NULL);
    }
    g_object_unref(image);
    return failed ? -1 : 0;
}

int qp_srgb_to_cmyk(const unsigned char *rgb, int count, const char *profile, unsigned char *cmyk) {
    if (count <= 0) return 0;
    VipsImage *colours = lib.vips_image_new_from_memory_copy(rgb, (size_t)count * 3, count, 1, 3, VIPS_FORMAT_UCHAR);
    if (!colours) return -1;
    colours->Type = VIPS_INTERPRETATION_sRGB;
    VipsImage *converted = NULL;
    int failed = lib.vips_icc_transform(colours, &converted, profile, "input_profile", "srgb", "intent", VIPS_INTENT_RELATIVE,
                                    "black_point_compensation", TRUE, "depth", 8, NULL);
    g_object_unref(colours);
    if (failed) return -1;
    size_t length = 0;
    void *pixels = lib.vips_image_write_to_memory(converted, &length);
    g_object_unref(converted);
    if (!pixels || length != (size_t)count * 4) { g_free(pixels); return -1; }
    memcpy(cmyk, pixels, length);
    g_free(pixels);
    return 0;
}

void qp_image_free(qp_image *image) {
    if (!image) return;
    g_object_unref(image->image);
    g_free(image);
}

void qp_free(void *pointer) { g_free(pointer); }

void qp_release_memory(void) { malloc_trim(0); }

char *qp_take_error(void) {
    if (open_error[0]) return g_strdup(open_error);
    char *message = lib.vips_error_buffer_copy();
    char *copy = g_strdup(message ? message : "");
    g_free(message);
    return copy;
}
