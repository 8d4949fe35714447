/**
 * Runs what a view does with the app (a load, a poll, an action) and redraws the view whatever happened. An
 * error is kept on the view's state, which shows it in place; `settle` (clearing a busy flag) runs before the
 * redraw either way. One place for this, so no view can forget to redraw after a failure.
 */
export async function attempt(state, ctx, work, settle) {
  try {
    await work();
  } catch (error) {
    state.error = error;
  } finally {
    settle?.();
    ctx.refresh();
  }
}
