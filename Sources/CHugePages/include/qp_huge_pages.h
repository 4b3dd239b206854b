#ifndef QP_HUGE_PAGES_H
#define QP_HUGE_PAGES_H

/// Undoes, in a process started again by `qp_huge_pages` (see qp_huge_pages.c), the environment
/// changes the restart needed, so that children see what qpress was given. Does nothing otherwise.
void qp_restore_environment(void);

#endif
