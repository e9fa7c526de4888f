/**
 * The vttest walk of vttest.test.ts: what is typed at each step (a line: a menu number, or ''
 * for RETURN), the name of the screen it leads to, and a fragment that screen must show (so a
 * walk that lost its way fails at once instead of comparing the wrong screens). Menus 1, 2, 3, 8
 * and, in menu 11, the screens that draw the same thing on every run (no reports typed back, no
 * keyboard or printer tests).
 *
 * ALLOWED_SCREENS lists the screens where termpool and tmux differ, with who is right by xterm's docs.
 */

export interface Step {
  type: string;
  screen: string;
  shows: RegExp;
}

const MAIN = /Enter choice number \(0 - 12\)/;
const back = (screen = 'main menu', shows = MAIN): Step => ({ type: '', screen, shows });

export const STEPS: readonly Step[] = [
  // Menu 1: cursor movements
  { type: '1', screen: '1.1 border 80 columns', shows: /frame of E's/ },
  back('1.2 border 132 columns (DECCOLM ignored)', /Push <RETURN>/),
  back('1.3 autowrap 80', /Test of autowrap/),
  back('1.4 autowrap 132 (DECCOLM ignored)', /Test of autowrap/),
  back('1.5 controls inside ESC sequences', /four identical lines/),
  back('1.6 leading zeros', /This is a correct sentence/),
  back(),
  // Menu 2: screen features
  { type: '2', screen: '2.1 wrap around', shows: /WRAP AROUND/ },
  back('2.2 tab setting', /Test of TAB setting/),
  back('2.3 132 columns, light', /132 column mode, light/),
  back('2.4 80 columns, light', /80 column mode, light/),
  back('2.5 132 columns, dark', /132 column mode, dark/),
  back('2.6 80 columns, dark', /80 column mode, dark/),
  back('2.7 soft scroll, region', /Soft scroll down region \[12\.\.13\]/),
  back('2.8 soft scroll, screen', /Soft scroll down region \[1\.\.24\]/),
  back('2.9 jump scroll, region', /Jump scroll down region \[12\.\.13\]/),
  back('2.10 jump scroll, screen', /Jump scroll down region \[1\.\.24\]/),
  back('2.11 origin mode, bottom', /Origin mode test/),
  back('2.12 origin mode, top', /at the top of the screen/),
  back('2.13 graphic rendition, dark', /Dark background/),
  back('2.14 graphic rendition, light', /Light background/),
  back('2.15 save/restore cursor', /SAVE\/RESTORE CURSOR/),
  back(),
  // Menu 3: character sets (VT100 level: one screen)
  { type: '3', screen: '3.1 character sets', shows: /installed character sets/ },
  back(),
  // Menu 8: VT102 insert/delete
  { type: '8', screen: '8.1 accordion 80', shows: /Screen accordion test/ },
  back('8.2 insert/delete line 80', /Top line: A's/),
  back('8.3 insert mode 80', /Test of 'Insert Mode'/),
  back('8.4 delete character 80', /Test of 'Delete Character'/),
  back('8.5 staggered DCH 80', /staggered/),
  back('8.6 staggered ICH 80', /staggered/),
  back('8.7 ANSI insert character 80', /Insert Character/),
  back('8.8 accordion 132 (DECCOLM ignored)', /Screen accordion test/),
  back('8.9 insert/delete line 132', /Top line: A's/),
  back('8.10 insert mode 132', /Test of 'Insert Mode'/),
  back('8.11 delete character 132', /Test of 'Delete Character'/),
  back('8.12 staggered DCH 132', /staggered/),
  back('8.13 staggered ICH 132', /staggered/),
  back('8.14 ANSI insert character 132', /Insert Character/),
  back(),
  // Menu 11: non-VT100
  { type: '11', screen: '11 menu', shows: /Menu 11: Non-VT100/ },
  { type: '1', screen: '11.1 menu', shows: /Menu 11\.1: VT220/ },
  { type: '2', screen: '11.1.2 menu', shows: /Menu 11\.1\.2/ },
  { type: '3', screen: '11.1.2.3 ECH', shows: /ECH test/ },
  back('11.1.2 menu again', /Menu 11\.1\.2/),
  { type: '4', screen: '11.1.2.4 DECSCA with DECSED/DECSEL', shows: /DECSCA, DECSED, DECSEL/ },
  back('11.1.2.4 DECSCA ignoring EL/ED', /ignoring EL\/ED/),
  back('11.1.2.4 DECSCA ignoring ECH/ICH/DCH', /ignoring ECH\/ICH\/DCH/),
  back('11.1.2 menu, third time', /Menu 11\.1\.2/),
  { type: '0', screen: '11.1 menu again', shows: /Menu 11\.1: VT220/ },
  { type: '0', screen: '11 menu again', shows: /Menu 11: Non-VT100/ },
  { type: '5', screen: '11.5 menu', shows: /Menu 11\.5/ },
  { type: '2', screen: '11.5.2 CBT', shows: /Push <RETURN>/ },
  back('11.5 menu after CBT', /Menu 11\.5/),
  { type: '9', screen: '11.5.9 VPR', shows: /Push <RETURN>/ },
  back('11.5 menu after VPR', /Menu 11\.5/),
  { type: '0', screen: '11 menu, third time', shows: /Menu 11: Non-VT100/ },
  { type: '7', screen: '11.7 menu', shows: /Menu 11\.7/ },
  { type: '2', screen: '11.7.2 REP', shows: /Push <RETURN>/ },
  back('11.7 menu after REP', /Menu 11\.7/),
  { type: '4', screen: '11.7.4 SL', shows: /Push <RETURN>/ },
  back('11.7 menu after SL', /Menu 11\.7/),
  { type: '5', screen: '11.7.5 SR', shows: /Push <RETURN>/ },
  back('11.7 menu after SR', /Menu 11\.7/),
  { type: '0', screen: '11 menu, last time', shows: /Menu 11: Non-VT100/ },
  { type: '0', screen: 'main menu at the end', shows: MAIN },
];

/**
 * Typed into termpool's vttest only, before the walk: menu 12, item 4 until the operating level is
 * 1 (VT100), then back. vttest picks its menus by the terminal's DA answer: termpool answers as a
 * VT420 (xterm's default level) and tmux as a VT100, so without this the two walks would see
 * different menus (menu 3 is a VT220 sub-menu from level 2). Both then run vttest's VT100-level
 * tests.
 */
export const TERMPOOL_LEVEL_1 = { menu: '12', item: '4', shows: /Operating level 1 \(VT100\)/, exit: '0' };

export interface AllowedScreen {
  screen: string;
  /** What each shows, in short (for docs/conformance.md). */
  result: string;
  reason: string;
}

/** Screens where termpool and tmux differ; each must still differ (checked). */
export const ALLOWED_SCREENS: readonly AllowedScreen[] = [
  { screen: '1.2 border 132 columns (DECCOLM ignored)',
    result: 'termpool: the 80-column border stays under the 132-column one; tmux: screen cleared first',
    reason: 'xterm: DECCOLM is ignored where 132-column switching is not allowed (xterm’s c132 resource, false by default): no clear, no home, no resize, and termpool does the same; tmux 3.3a clears the screen and homes the cursor as a VT100 does (without resizing), so termpool keeps the previous screen under the new text' },
  { screen: '1.3 autowrap 80',
    result: 'termpool: the title lines are written over the previous border; tmux: screen cleared first',
    reason: 'xterm: DECCOLM is ignored where 132-column switching is not allowed (xterm’s c132 resource, false by default): no clear, no home, no resize, and termpool does the same; tmux 3.3a clears the screen and homes the cursor as a VT100 does (without resizing), so termpool keeps the previous screen under the new text' },
  { screen: '1.4 autowrap 132 (DECCOLM ignored)',
    result: 'as 1.3',
    reason: 'xterm: DECCOLM is ignored where 132-column switching is not allowed (xterm’s c132 resource, false by default): no clear, no home, no resize, and termpool does the same; tmux 3.3a clears the screen and homes the cursor as a VT100 does (without resizing), so termpool keeps the previous screen under the new text' },
  { screen: '2.11 origin mode, bottom',
    result: 'termpool: the line on row 24; tmux: on row 2',
    reason: 'termpool right: vttest wants this line at the bottom (a region at the last rows, DECOM, CUP relative to the region, as xterm does); tmux 3.3a draws it on row 2' },
  { screen: '3.1 character sets',
    result: 'termpool: £ in the British rows; tmux: #',
    reason: 'termpool right: ESC ( A (the British NRC set) shows # as £ (ctlseqs, xterm); tmux 3.3a ignores the British set' },
  { screen: '8.13 staggered ICH 132',
    result: 'termpool: 40 letters a row, the rows moved up one; tmux: 65 to 50 letters a row',
    reason: 'xterm: the rows are double-width lines (ESC # 6), which hold cols/2 = 40 characters and wrap after them (xterm, DEC STD 070); tmux 3.3a ignores DECDWL. The test assumes 132 columns, which DECCOLM does not give (xterm’s default)' },
  { screen: '11.1.2.4 DECSCA with DECSED/DECSEL',
    result: "termpool: vttest's solid box of *'s; tmux: the box with the diagonals that DECSED/DECSEL should have erased",
    reason: 'termpool right: DECSED/DECSEL erase all but the DECSCA-protected cells (ctlseqs, xterm), leaving vttest’s solid box; tmux 3.3a ignores selective erase' },
  { screen: '11.1.2.4 DECSCA ignoring ECH/ICH/DCH',
    result: 'termpool: the box alone; tmux: # runs beside it',
    reason: 'termpool right: vttest’s expected picture (ECH, ICH and DCH act whatever DECSCA says, as in xterm); tmux 3.3a leaves the #’s beside the box' },
  { screen: '11.5.9 VPR',
    result: "termpool: the box of *'s; tmux: rows 7–18 empty",
    reason: 'termpool right: VPR (CSI Pn e, ctlseqs) moves the cursor down and vttest’s box is drawn; tmux 3.3a ignores VPR' },
  { screen: '11.7.4 SL',
    result: "termpool: a vertical column of *'s; tmux: a diagonal",
    reason: 'termpool right: SL (CSI Ps SP @, ctlseqs) gives vttest’s vertical column; tmux 3.3a does not implement SL' },
  { screen: '11.7.5 SR',
    result: "termpool: a vertical column of *'s; tmux: a diagonal",
    reason: 'termpool right: SR (CSI Ps SP A, ctlseqs) gives vttest’s vertical column; tmux 3.3a does not implement SR' },
];
