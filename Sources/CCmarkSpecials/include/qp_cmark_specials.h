#ifndef QP_CMARK_SPECIALS_H
#define QP_CMARK_SPECIALS_H

/// Whether libcmark-gfm's calls to `cmark_manage_extensions_special_characters` reach the version in
/// this target (1) or stayed inside the library (0): only when they do may documents be parsed at once.
int qp_cmark_specials_interposed(void);

#endif
