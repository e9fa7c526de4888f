/**
 * The shell-integration scripts termpool writes into its private directory (shell-integration.ts)
 * and has bash, zsh and fish read at start-up. Each first reads the user's own start-up file as the
 * shell would have, then adds the marks: OSC 133 A/B around the prompt, C when a command starts,
 * OSC 7 (the working directory) and D with the exit status when it finished, before the next
 * prompt. The user's prompt, PROMPT_COMMAND, hooks and PS0 are kept; nothing in $HOME is written.
 * Names start with `__tp_si` so they are unlikely to meet the user's own.
 *
 * The nonce (shell-integration.ts): first thing, each script reads the file __TP_SI_NONCE_FILE
 * names into __tp_si_nonce, a shell variable that is not exported, deletes the file and unsets
 * the environment variable, so no program the shell starts (the user's start-up files' included,
 * except fish's) can find it in its environment, its shell's /proc/<pid>/environ or on disk;
 * C and D carry it as `nonce=…`. The prompt strings and functions name the variable instead of
 * holding its value (bash's PS0 too, unless promptvars is off), so an exported PS0 would not give
 * it away either.
 *
 * CLEAR_INPUT_KEY is bound, in every key map of the shell's (emacs and vi alike), to deleting all
 * of the command line and, in vi's command mode, going back to insert mode: POST /run sends it
 * before the command (run-command.ts), so text left at the prompt is never run with it and the
 * command is typed as text. A private sequence, because the keys that clear a line differ between
 * emacs and vi modes (zsh picks vi when $EDITOR names vi).
 */

/** `CSI 9119 ~`: no terminal sends it for a key. */
export const CLEAR_INPUT_KEY = '\x1b[9119~';

/** Percent-encodes a path for OSC 7 (bytes, in the C locale). */
const BASH_URLENCODE = String.raw`__tp_si_urlencode() {
  local LC_ALL=C s=$1 out= c i
  for (( i = 0; i < ${'$'}{#s}; i++ )); do
    c=${'$'}{s:i:1}
    case $c in
      [A-Za-z0-9/._~-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c"; out+=$c ;;
    esac
  done
  printf '%s' "$out"
}`;

/**
 * bash, through `--rcfile` (which replaces only ~/.bashrc: Debian's /etc/bash.bashrc is still
 * read first). PS0 gives C (printed after the line is read, before it runs; not for an empty
 * line); PROMPT_COMMAND runs our precmd first (so it sees the command's $?, and passes it on to
 * the user's PROMPT_COMMAND), then the user's, then the prompt wrapper (after the user's, which
 * may rebuild PS1). A PROMPT_COMMAND array (bash 5.1) stays an array.
 */
export const BASH_RC = String.raw`# termpool shell integration (bash): generated, read through --rcfile in place of ~/.bashrc
declare +x __tp_si_nonce=
if [[ -n ${'$'}{__TP_SI_NONCE_FILE-} ]]; then
  IFS= read -r __tp_si_nonce < "$__TP_SI_NONCE_FILE"
  command rm -f -- "$__TP_SI_NONCE_FILE" 2>/dev/null
fi
unset __TP_SI_NONCE_FILE
if [ -f ~/.bashrc ]; then . ~/.bashrc; fi
if [[ $- == *i* && -z ${'$'}{__tp_si_on-} ]]; then
  __tp_si_on=1
  ${BASH_URLENCODE}
  __tp_si_precmd() {
    local s=$?
    printf '\e]7;file://%s%s\a\e]133;D;%s;nonce=%s\a' "${'$'}{HOSTNAME-}" "$(__tp_si_urlencode "$PWD")" "$s" "$__tp_si_nonce"
    return $s
  }
  __tp_si_prompt() {
    local s=$?
    if [[ $PS1 != *'\e]133;B\a'* ]]; then PS1='\[\e]133;A\a\]'"$PS1"'\[\e]133;B\a\]'; fi
    return $s
  }
  if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
    PROMPT_COMMAND=(__tp_si_precmd "${'$'}{PROMPT_COMMAND[@]}" __tp_si_prompt)
  else
    PROMPT_COMMAND="__tp_si_precmd${'$'}{PROMPT_COMMAND:+
$PROMPT_COMMAND}
__tp_si_prompt"
  fi
  # vi's command mode: S deletes the line and enters insert mode.
  { bind -m emacs '"\e[9119~": kill-whole-line'; bind -m vi-insert '"\e[9119~": kill-whole-line'; bind -m vi-command '"\e[9119~": "S"'; } 2>/dev/null
  # Expanded when shown (promptvars, on by default); without it, the value itself.
  if shopt -q promptvars; then PS0="${'$'}{PS0-}"'\e]133;C;nonce=${'$'}{__tp_si_nonce}\a'
  else PS0="${'$'}{PS0-}\e]133;C;nonce=${'$'}{__tp_si_nonce}\a"; fi
fi
`;

/**
 * zsh: ZDOTDIR points at our directory, whose .zshenv, .zprofile and .zshrc each read the user's
 * file of that name from the user's ZDOTDIR (or $HOME) and point ZDOTDIR back at ours for the next
 * one, so a user's .zshenv that moves ZDOTDIR is followed; .zshrc restores the user's ZDOTDIR for
 * good (so .zlogin and everything after see the user's). The user's ZDOTDIR arrives in
 * __TP_SI_USER_ZDOTDIR, which .zshenv takes out of the environment at once.
 */
const ZSH_TAKE_USER = String.raw`if [[ -n ${'$'}{__tp_si_had_zdotdir-} ]]; then ZDOTDIR=$__tp_si_user_zdotdir; else unset ZDOTDIR; fi`;
const ZSH_BACK_TO_OURS = String.raw`__tp_si_user_zdotdir=${'$'}{ZDOTDIR-}; __tp_si_had_zdotdir=${'$'}{ZDOTDIR+1}; ZDOTDIR=$__tp_si_dir`;

export const ZSH_ENV = String.raw`# termpool shell integration (zsh): generated
typeset -g +x __tp_si_nonce=
if [[ -n ${'$'}{__TP_SI_NONCE_FILE-} ]]; then
  IFS= read -r __tp_si_nonce < $__TP_SI_NONCE_FILE
  command rm -f -- $__TP_SI_NONCE_FILE 2>/dev/null
fi
unset __TP_SI_NONCE_FILE
__tp_si_dir=$ZDOTDIR
__tp_si_had_zdotdir=${'$'}{__TP_SI_USER_ZDOTDIR+1}
__tp_si_user_zdotdir=${'$'}{__TP_SI_USER_ZDOTDIR-}
unset __TP_SI_USER_ZDOTDIR
${ZSH_TAKE_USER}
[[ -f ${'$'}{ZDOTDIR:-$HOME}/.zshenv ]] && source ${'$'}{ZDOTDIR:-$HOME}/.zshenv
${ZSH_BACK_TO_OURS}
`;

export const ZSH_PROFILE = String.raw`# termpool shell integration (zsh): generated
${ZSH_TAKE_USER}
[[ -f ${'$'}{ZDOTDIR:-$HOME}/.zprofile ]] && source ${'$'}{ZDOTDIR:-$HOME}/.zprofile
${ZSH_BACK_TO_OURS}
`;

/** precmd: ours first (it sees the command's $?), the prompt wrapper last (after themes set PS1). */
export const ZSH_RC = String.raw`# termpool shell integration (zsh): generated
${ZSH_TAKE_USER}
unset __tp_si_dir __tp_si_user_zdotdir __tp_si_had_zdotdir
[[ -f ${'$'}{ZDOTDIR:-$HOME}/.zshrc ]] && source ${'$'}{ZDOTDIR:-$HOME}/.zshrc
if [[ -o interactive && -z ${'$'}{__tp_si_on-} ]]; then
  __tp_si_on=1
  __tp_si_urlencode() {
    emulate -L zsh
    local LC_ALL=C s=$1 out= c
    local -i i
    for (( i = 1; i <= ${'$'}{#s}; i++ )); do
      c=${'$'}{s[i]}
      case $c in
        ([A-Za-z0-9/._~-]) out+=$c ;;
        (*) out+=$(printf '%%%02X' "'$c") ;;
      esac
    done
    print -rn -- $out
  }
  __tp_si_precmd() {
    local s=$?
    print -rn -- $'\e]7;file://'"${'$'}{HOST-}$(__tp_si_urlencode $PWD)"$'\a\e]133;D;'"$s;nonce=$__tp_si_nonce"$'\a'
    return $s
  }
  __tp_si_prompt() {
    [[ $PS1 == *$'\e]133;B\a'* ]] || PS1=$'%{\e]133;A\a%}'"$PS1"$'%{\e]133;B\a%}'
  }
  __tp_si_preexec() { print -rn -- $'\e]133;C;nonce='"$__tp_si_nonce"$'\a' }
  __tp_si_clear() { BUFFER=; CURSOR=0; [[ $KEYMAP != vicmd ]] || zle vi-insert; return 0 }
  zle -N __tp_si_clear
  () { local m; for m in emacs viins vicmd; do bindkey -M $m $'\e[9119~' __tp_si_clear; done }
  precmd_functions=(__tp_si_precmd $precmd_functions __tp_si_prompt)
  preexec_functions+=(__tp_si_preexec)
fi
`;

/**
 * fish, through `--init-command` (run after config.fish and conf.d): fish's own events give C
 * (fish_preexec) and D (fish_postexec, with the command's $status); fish_prompt is wrapped for
 * A/B, whatever prompt the user's configuration defined.
 */
export const FISH_INIT = String.raw`# termpool shell integration (fish): generated
set -g __tp_si_nonce ''
if set -q __TP_SI_NONCE_FILE
  read -g __tp_si_nonce < $__TP_SI_NONCE_FILE
  command rm -f -- $__TP_SI_NONCE_FILE 2>/dev/null
  set -e __TP_SI_NONCE_FILE
end
if status is-interactive; and not set -q __tp_si_on
  set -g __tp_si_on 1
  function __tp_si_cwd
    printf '\e]7;file://%s%s\a' $hostname (string escape --style=url -- $PWD)
  end
  function __tp_si_preexec --on-event fish_preexec
    printf '\e]133;C;nonce=%s\a' $__tp_si_nonce
  end
  function __tp_si_postexec --on-event fish_postexec
    set -l s $status
    __tp_si_cwd
    printf '\e]133;D;%s;nonce=%s\a' $s $__tp_si_nonce
  end
  function __tp_si_clear
    commandline -r ''
    if test "$fish_key_bindings" = fish_vi_key_bindings; and test "$fish_bind_mode" != insert
      set -g fish_bind_mode insert
      commandline -f repaint-mode
    end
  end
  for __tp_si_mode in default insert visual
    bind -M $__tp_si_mode \e\[9119~ __tp_si_clear
  end
  set -e __tp_si_mode
  __tp_si_cwd
  functions -q fish_prompt; and functions -c fish_prompt __tp_si_user_prompt
  function fish_prompt
    set -l s $status
    printf '\e]133;A\a'
    if functions -q __tp_si_user_prompt
      __tp_si_status $s
      __tp_si_user_prompt
    else
      printf '> '
    end
    printf '\e]133;B\a'
  end
  function __tp_si_status
    return $argv[1]
  end
end
`;
