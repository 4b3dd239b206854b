#ifndef QP_VIPS_H
#define QP_VIPS_H
/* A small, non-variadic face of libvips for Swift, which cannot call C's variadic functions.
   Swift sees only opaque handles and plain structs; glib and vips headers stay in qp_vips.c. */
#include <stddef.h>

typedef struct qp_image qp_image;

typedef struct {
    int width, height, bands, pages;
    int orientation;      /* EXIF orientation, 1 when absent */
    int bits;             /* bits per channel: 8 or 16 (or 32 for float) */
    int has_alpha, has_icc;
    int is_cmyk, is_grey;
    char loader[40];      /* e.g. "jpegload_buffer", "pngload_buffer" */
} qp_image_info;

typedef enum { QP_JPEG = 0, QP_PNG = 1, QP_WEBP = 2 } qp_format;

/* Once per process; returns 0 on success. */
int qp_vips_init(void);

/* Reads the header of an encoded image held in memory: no pixels are decoded, so a decompression
   bomb can be refused by its size first. Returns 0 on success. */
int qp_probe(const void *data, size_t length, qp_image_info *info);

/* Decodes once: upright by the EXIF orientation, in sRGB (grey stays grey), 8 bits per channel,
   at most max_width pixels wide (never enlarged), held in memory. NULL on failure. */
qp_image *qp_load_web(const void *data, size_t length, int max_width);
/* A drawing (SVG) rendered `width` pixels wide, larger or smaller than its own size, as qp_load_web
   holds it: for where a drawing cannot go, such as WeChat's og:image. NULL on failure. */
qp_image *qp_rasterize(const void *data, size_t length, int width);
int qp_image_width(const qp_image *image);
int qp_image_height(const qp_image *image);
int qp_image_has_alpha(const qp_image *image);

/* Resizes to `width` (never up) and encodes without any metadata (no EXIF, GPS, XMP, ICC).
   On success *out is malloc'd (release with qp_free) and *out_width / *out_height are set. */
int qp_save_web(const qp_image *image, int width, qp_format format, int quality,
                void **out, size_t *out_length, int *out_width, int *out_height);

/* For a printed book: decodes once (the first frame of an animation), upright, alpha flattened onto
   white. With a `profile` (the press's CMYK ICC file), colour goes to it with relative colorimetric
   intent and black point compensation, from the embedded profile or else sRGB; a CMYK source without a
   profile is taken to be in the press profile already. Without one (the screen proof), colour goes to
   sRGB. Greyscale stays one 8-bit band. Resized to `width` pixels across when that is smaller (0: never),
   before the colour transform; encoded as baseline JPEG without metadata. *out_bands is 1 (grey), 3 (sRGB) or 4 (CMYK). */
int qp_save_print(const void *data, size_t length, const char *profile, int width, int quality,
                  void **out, size_t *out_length, int *out_width, int *out_height, int *out_bands);

/* `count` sRGB colours (3 bytes each) to the press profile as print images go (relative colorimetric,
   black point compensation): 4 bytes each into cmyk, 0–255. Returns 0 on success. */
int qp_srgb_to_cmyk(const unsigned char *rgb, int count, const char *profile, unsigned char *cmyk);

void qp_image_free(qp_image *image);
void qp_free(void *pointer);

/* Returns the free memory of every malloc arena to the system: the threads that decode each keep their
   own arena, which would otherwise hold on to the largest image's buffers until the process ends. */
void qp_release_memory(void);

/* The errors libvips collected since the last call, as a malloc'd string (release with qp_free). */
char *qp_take_error(void);

#endif
