// libcmark-gfm keeps its inline parser's special characters in a global table. Before a document's
// inline parse it adds its extensions' characters (`~`, `|`, `:`, `w`) and afterwards it removes them,
// so two documents parsed at once clear each other's. The library calls that function through its
// PLT, so this definition, exported from the executable, takes its place: the characters are added
// once, by the library's own function, and never removed. Every parser QualityPress makes attaches the
// same extensions, so the table stays what each parse would have set. If a linker or library ever binds
// the call inside the library instead, `qp_cmark_specials_interposed` stays 0 and PressMarkdown keeps
// parsing inlines one document at a time.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include "qp_cmark_specials.h"

typedef struct cmark_parser cmark_parser;
typedef void manage_function(cmark_parser *parser, int add);

static atomic_int interposed;
static atomic_int added;
static pthread_mutex_t adding = PTHREAD_MUTEX_INITIALIZER;

__attribute__((visibility("default")))
void cmark_manage_extensions_special_characters(cmark_parser *parser, int add) {
    if (!add || atomic_load_explicit(&added, memory_order_acquire)) return;
    pthread_mutex_lock(&adding);
    if (!atomic_load_explicit(&added, memory_order_relaxed)) {
        manage_function *library = (manage_function *)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
        // The caller is that library, so it is there; were it not, nothing is claimed.
        if (library) {
            library(parser, 1);
            atomic_store_explicit(&added, 1, memory_order_release);
            atomic_store(&interposed, 1);
        }
    }
    pthread_mutex_unlock(&adding);
}

int qp_cmark_specials_interposed(void) {
    return atomic_load(&interposed);
}
