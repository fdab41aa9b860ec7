# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sentinel_global_optspecs
    string join \n format= no-input color= q/quiet v/verbose store= playbooks= date-order= tz= h/help V/version
end

function __fish_sentinel_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sentinel_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sentinel_using_subcommand
    set -l cmd (__fish_sentinel_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sentinel -n "__fish_sentinel_needs_command" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_needs_command" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_needs_command" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_needs_command" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_needs_command" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_needs_command" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_needs_command" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_needs_command" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_needs_command" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "investigate" -d 'Rank root-cause hypotheses for an incident, with evidence, checklist and mitigations'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "checklist" -d 'Print the investigation checklist (probe, command, why, expected) without running it'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "mitigate" -d 'Review and approve mitigations for a stored incident'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "postmortem" -d 'Write the markdown postmortem draft'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "similar" -d 'Find similar past incidents, or add one to the store'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "ingest" -d 'Parse and save an incident; prints its id on the last line'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "incidents" -d 'The stored incidents'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "store" -d 'The incident store'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "playbook" -d 'List, show, lint and test playbooks'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c sentinel -n "__fish_sentinel_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -s n -l namespace -d 'Kubernetes namespace for probes' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l kube-context -d 'kubectl context (default: the current context)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -s l -l selector -d 'Label selector for the workload' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l host -d 'Host for host probes over ssh (repeatable)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l pg -d 'Postgres URL for SQL probes (or libpq env vars)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l logs -d 'Log file or folder to grep (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l prom -d 'Prometheus base URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l health -d 'Health endpoint to GET (repeatable): its status, latency and the components its body reports down' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l timeout -d 'Timeout per probe (e.g. 10s)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l concurrency -d 'Probes run at once' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l offline -d 'Run no probes: analyse the text alone'
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l replay -d 'Re-analyse the probe outputs saved in a bundle'
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand investigate" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -s n -l namespace -d 'Kubernetes namespace for probes' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -s l -l selector -d 'Label selector for the workload' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l host -d 'Host for host probes (repeatable)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l pg -d 'Postgres URL the SQL probes would use (or libpq env vars)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l logs -d 'Log file or folder the log probes would grep (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l prom -d 'Prometheus base URL the HTTP probes would query' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand checklist" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l approve -d 'Approve a mitigation by id (repeatable, for scripts)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l verify-for -d 'How long the verification probe watches' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l pg -d 'The database SQL mitigations run on, with its credentials (the bundle keeps the URL of the probe run without its password; this must name the same server and database)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l dry-run -d 'Show what would run; run nothing'
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand mitigate" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -s o -l output -d 'Write to this file' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l force -d 'Write over a draft without asking (human-edited sections are kept)'
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l follow-ups -d 'Print only the follow-up action items: a markdown checklist that pastes into an issue tracker (`--format json`: the items as data)'
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand postmortem" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l limit -d 'How many matches' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l add -d 'Add a past incident from this file' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l id -d 'The id for --add' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand similar" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand ingest" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -f -a "list" -d 'List stored incidents'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -f -a "show" -d 'Show one'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -f -a "rm" -d 'Remove one'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -f -a "prune" -d 'Remove old ones'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and not __fish_seen_subcommand_from list show rm prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l older-than -d 'Age, e.g. 180d' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from help" -f -a "list" -d 'List stored incidents'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove old ones'
complete -c sentinel -n "__fish_sentinel_using_subcommand incidents; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -f -a "migrate" -d 'Create or upgrade the Postgres schema'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and not __fish_seen_subcommand_from migrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from migrate" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Create or upgrade the Postgres schema'
complete -c sentinel -n "__fish_sentinel_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -f -a "list" -d 'List playbooks with their source (builtin or custom)'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -f -a "show" -d 'Show one playbook\'s YAML'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -f -a "lint" -d 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -f -a "test" -d 'Run each playbook\'s examples through the ranking'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and not __fish_seen_subcommand_from list show lint test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from lint" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "list" -d 'List playbooks with their source (builtin or custom)'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one playbook\'s YAML'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "test" -d 'Run each playbook\'s examples through the ranking'
complete -c sentinel -n "__fish_sentinel_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand completions" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -l format -d 'Output format (default: table; postmortem: markdown)' -r -f -a "table\t'Human tables (the default)'
json\t'`sentinel.report/v1` JSON'
markdown\t'Markdown'"
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t'Always'
never\t'Never'"
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -l store -d 'Incident store: a directory or a postgres:// URL' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -l playbooks -d 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)' -r -F
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -l date-order -d 'How a date like 6/2/2026 is read' -r -f -a "mdy\t'6/2/2026 is June 2'
dmy\t'6/2/2026 is 6 February'"
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -l tz -d 'The zone of times written without one (IANA name or +HH:MM)' -r
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -l no-input -d 'Never prompt; fail with exit code 3 where a decision is needed'
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -s q -l quiet -d 'Print only the result'
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -s v -l verbose -d 'Show more: every hypothesis and all evidence'
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sentinel -n "__fish_sentinel_using_subcommand man" -s V -l version -d 'Print version'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "investigate" -d 'Rank root-cause hypotheses for an incident, with evidence, checklist and mitigations'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "checklist" -d 'Print the investigation checklist (probe, command, why, expected) without running it'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "mitigate" -d 'Review and approve mitigations for a stored incident'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "postmortem" -d 'Write the markdown postmortem draft'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "similar" -d 'Find similar past incidents, or add one to the store'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "ingest" -d 'Parse and save an incident; prints its id on the last line'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "incidents" -d 'The stored incidents'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "store" -d 'The incident store'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "playbook" -d 'List, show, lint and test playbooks'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and not __fish_seen_subcommand_from investigate checklist mitigate postmortem similar ingest incidents store playbook completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from incidents" -f -a "list" -d 'List stored incidents'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from incidents" -f -a "show" -d 'Show one'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from incidents" -f -a "rm" -d 'Remove one'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from incidents" -f -a "prune" -d 'Remove old ones'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "migrate" -d 'Create or upgrade the Postgres schema'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from playbook" -f -a "list" -d 'List playbooks with their source (builtin or custom)'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from playbook" -f -a "show" -d 'Show one playbook\'s YAML'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from playbook" -f -a "lint" -d 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)'
complete -c sentinel -n "__fish_sentinel_using_subcommand help; and __fish_seen_subcommand_from playbook" -f -a "test" -d 'Run each playbook\'s examples through the ranking'
