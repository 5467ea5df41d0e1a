/* matrix.h - the target matrix: one row per target and its states. */
#ifndef CB_MATRIX_H
#define CB_MATRIX_H

#include "app.h"

/* Draw the matrix window (rows, columns fitted to the width). */
void matrix_draw(struct app *a);
/* Handle act with the matrix focused; 0 when it is not the matrix's. */
int matrix_key(struct app *a, enum key_action act);
/* A click at row y of the matrix window selects that target. */
void matrix_click(struct app *a, int y);

#endif
