"""The board's CSS: large type readable from two metres, and an A4 landscape print view."""

from __future__ import annotations

BOARD_CSS = """
<style>
.wb-board { font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #212b32;
  max-width: 1800px; }
.wb-board h1 { font-size: 2.4rem; margin: 0 0 .2rem 0; line-height: 1.15; }
.wb-board .wb-sub { font-size: 1.25rem; color: #4c6272; }
.wb-board a { color: #005eb8; }
.wb-board-header { display: flex; justify-content: space-between; align-items: flex-end;
  gap: 1rem; border-bottom: 4px solid #005eb8; padding-bottom: .5rem; margin-bottom: .8rem; }
.wb-board-actions { font-size: 1.1rem; white-space: nowrap; }
.wb-board-actions button { font-size: 1.1rem; padding: .35rem .9rem; margin-left: .6rem;
  cursor: pointer; }
.wb-board-cycle { font-size: 1.55rem; line-height: 1.35; background: #e8f1f8;
  border-left: 8px solid #005eb8; padding: .6rem 1rem; margin-bottom: .8rem; }
.wb-board-cycle .wb-when { display: block; font-size: 1.3rem; color: #212b32;
  font-weight: bold; margin-top: .3rem; }
.wb-board-cycle.wb-none { background: #f0f4f5; border-left-color: #768692; }
.wb-signals { display: flex; flex-wrap: wrap; gap: .6rem; margin-bottom: .6rem; }
.wb-signal { flex: 1 1 16rem; border: 1px solid #d8dde0; border-radius: 6px; padding: .5rem .7rem;
  display: flex; gap: .6rem; align-items: center; background: #fff; }
.wb-signal .wb-name { font-weight: bold; font-size: 1.2rem; }
.wb-signal .wb-words { font-size: 1.2rem; }
.wb-signal .wb-last { font-size: 1rem; color: #4c6272; }
.wb-signal .wb-target { font-size: 1rem; color: #212b32; }
.wb-signal .wb-stale { font-size: 1.05rem; color: #d5281b; font-weight: bold; }
.wb-settings { border-top: 4px solid #005eb8; margin-top: 1rem; padding-top: .6rem; }
.wb-settings h2 { font-size: 1.6rem; margin: .2rem 0 .6rem 0; }
.wb-icon { flex: none; width: 2.6rem; height: 2.6rem; border-radius: 50%; border: 4px solid;
  display: inline-flex; align-items: center; justify-content: center; font-weight: bold;
  font-size: 1.3rem; background: #fff; }
.wb-board-chart { width: 100%; overflow-x: auto; }
.wb-board-chart svg { max-width: 100%; height: auto; }
.wb-counts { border-top: 4px solid #005eb8; margin-top: 1rem; padding-top: .6rem; }
.wb-counts h2 { font-size: 1.6rem; margin: .2rem 0 .6rem 0; }
.wb-counts .widget-label, .wb-counts label { font-size: 1.05rem; }
.wb-count-row { align-items: center; border-bottom: 1px solid #eef0f1; padding: .2rem 0; }
.wb-count-name { font-size: 1.15rem; font-weight: bold; }
.wb-counts input { font-size: 1.2rem !important; height: 2.2rem !important; }
.wb-counts-save button, button.wb-counts-save { font-size: 1.2rem; height: 2.6rem; }
.wb-message { font-size: 1.2rem; }
.wb-message-ok { color: #007f3b; font-weight: bold; }
.wb-message-error { color: #d5281b; font-weight: bold; }
.wb-message-error div, .wb-message-ok div { border-left: 6px solid currentColor;
  padding: .3rem .7rem; }
.wb-hint { color: #4c6272; font-size: 1rem; }
@page { size: A4 landscape; margin: 8mm; }
@media print {
  .wb-counts, .wb-settings, .wb-span, .wb-board-actions, #voila-spinner {
    display: none !important; }
  body, #rendered_cells, #rendered_cells > div { padding: 0 !important; margin: 0 !important;
    background: #fff !important; box-shadow: none !important; }
  .wb-board { max-width: none; }
  .wb-board h1 { font-size: 30pt; }
  .wb-board .wb-sub { font-size: 16pt; }
  .wb-board-cycle { font-size: 18pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .wb-board-cycle .wb-when { font-size: 16pt; }
  .wb-signal { break-inside: avoid; }
  .wb-signal .wb-name, .wb-signal .wb-words { font-size: 14pt; }
  .wb-board-chart { overflow: visible; }
  .wb-board-chart svg { width: 100% !important; height: auto !important; }
  .jp-OutputArea-prompt, .jp-InputPrompt { display: none !important; }
}
</style>
"""
"""Injected once at the top of the board (an ``ipywidgets.HTML``)."""
