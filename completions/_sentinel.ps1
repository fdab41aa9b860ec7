
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'sentinel' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'sentinel'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'sentinel' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('investigate', 'investigate', [CompletionResultType]::ParameterValue, 'Rank root-cause hypotheses for an incident, with evidence, checklist and mitigations')
            [CompletionResult]::new('checklist', 'checklist', [CompletionResultType]::ParameterValue, 'Print the investigation checklist (probe, command, why, expected) without running it')
            [CompletionResult]::new('mitigate', 'mitigate', [CompletionResultType]::ParameterValue, 'Review and approve mitigations for a stored incident')
            [CompletionResult]::new('postmortem', 'postmortem', [CompletionResultType]::ParameterValue, 'Write the markdown postmortem draft')
            [CompletionResult]::new('similar', 'similar', [CompletionResultType]::ParameterValue, 'Find similar past incidents, or add one to the store')
            [CompletionResult]::new('ingest', 'ingest', [CompletionResultType]::ParameterValue, 'Parse and save an incident; prints its id on the last line')
            [CompletionResult]::new('incidents', 'incidents', [CompletionResultType]::ParameterValue, 'The stored incidents')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'The incident store')
            [CompletionResult]::new('playbook', 'playbook', [CompletionResultType]::ParameterValue, 'List, show, lint and test playbooks')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;investigate' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace for probes')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace for probes')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'kubectl context (default: the current context)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector for the workload')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector for the workload')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host for host probes over ssh (repeatable)')
            [CompletionResult]::new('--pg', '--pg', [CompletionResultType]::ParameterName, 'Postgres URL for SQL probes (or libpq env vars)')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'Log file or folder to grep (repeatable)')
            [CompletionResult]::new('--prom', '--prom', [CompletionResultType]::ParameterName, 'Prometheus base URL')
            [CompletionResult]::new('--health', '--health', [CompletionResultType]::ParameterName, 'Health endpoint to GET (repeatable): its status, latency and the components its body reports down')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout per probe (e.g. 10s)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Probes run at once')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run no probes: analyse the text alone')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Re-analyse the probe outputs saved in a bundle')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;checklist' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace for probes')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace for probes')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector for the workload')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector for the workload')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host for host probes (repeatable)')
            [CompletionResult]::new('--pg', '--pg', [CompletionResultType]::ParameterName, 'Postgres URL the SQL probes would use (or libpq env vars)')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'Log file or folder the log probes would grep (repeatable)')
            [CompletionResult]::new('--prom', '--prom', [CompletionResultType]::ParameterName, 'Prometheus base URL the HTTP probes would query')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;mitigate' {
            [CompletionResult]::new('--approve', '--approve', [CompletionResultType]::ParameterName, 'Approve a mitigation by id (repeatable, for scripts)')
            [CompletionResult]::new('--verify-for', '--verify-for', [CompletionResultType]::ParameterName, 'How long the verification probe watches')
            [CompletionResult]::new('--pg', '--pg', [CompletionResultType]::ParameterName, 'The database SQL mitigations run on, with its credentials (the bundle keeps the URL of the probe run without its password; this must name the same server and database)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would run; run nothing')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;postmortem' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write over a draft without asking (human-edited sections are kept)')
            [CompletionResult]::new('--follow-ups', '--follow-ups', [CompletionResultType]::ParameterName, 'Print only the follow-up action items: a markdown checklist that pastes into an issue tracker (`--format json`: the items as data)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;similar' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many matches')
            [CompletionResult]::new('--add', '--add', [CompletionResultType]::ParameterName, 'Add a past incident from this file')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'The id for --add')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;ingest' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;incidents' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored incidents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove one')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove old ones')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;incidents;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;incidents;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;incidents;rm' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;incidents;prune' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Age, e.g. 180d')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;incidents;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored incidents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove one')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove old ones')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;incidents;help;list' {
            break
        }
        'sentinel;incidents;help;show' {
            break
        }
        'sentinel;incidents;help;rm' {
            break
        }
        'sentinel;incidents;help;prune' {
            break
        }
        'sentinel;incidents;help;help' {
            break
        }
        'sentinel;store' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Create or upgrade the Postgres schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;store;migrate' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;store;help' {
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Create or upgrade the Postgres schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;store;help;migrate' {
            break
        }
        'sentinel;store;help;help' {
            break
        }
        'sentinel;playbook' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List playbooks with their source (builtin or custom)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one playbook''s YAML')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run each playbook''s examples through the ranking')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;playbook;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;playbook;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;playbook;lint' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;playbook;test' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;playbook;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List playbooks with their source (builtin or custom)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one playbook''s YAML')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run each playbook''s examples through the ranking')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;playbook;help;list' {
            break
        }
        'sentinel;playbook;help;show' {
            break
        }
        'sentinel;playbook;help;lint' {
            break
        }
        'sentinel;playbook;help;test' {
            break
        }
        'sentinel;playbook;help;help' {
            break
        }
        'sentinel;completions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;man' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: table; postmortem: markdown)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Incident store: a directory or a postgres:// URL')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)')
            [CompletionResult]::new('--date-order', '--date-order', [CompletionResultType]::ParameterName, 'How a date like 6/2/2026 is read')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The zone of times written without one (IANA name or +HH:MM)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit code 3 where a decision is needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more: every hypothesis and all evidence')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sentinel;help' {
            [CompletionResult]::new('investigate', 'investigate', [CompletionResultType]::ParameterValue, 'Rank root-cause hypotheses for an incident, with evidence, checklist and mitigations')
            [CompletionResult]::new('checklist', 'checklist', [CompletionResultType]::ParameterValue, 'Print the investigation checklist (probe, command, why, expected) without running it')
            [CompletionResult]::new('mitigate', 'mitigate', [CompletionResultType]::ParameterValue, 'Review and approve mitigations for a stored incident')
            [CompletionResult]::new('postmortem', 'postmortem', [CompletionResultType]::ParameterValue, 'Write the markdown postmortem draft')
            [CompletionResult]::new('similar', 'similar', [CompletionResultType]::ParameterValue, 'Find similar past incidents, or add one to the store')
            [CompletionResult]::new('ingest', 'ingest', [CompletionResultType]::ParameterValue, 'Parse and save an incident; prints its id on the last line')
            [CompletionResult]::new('incidents', 'incidents', [CompletionResultType]::ParameterValue, 'The stored incidents')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'The incident store')
            [CompletionResult]::new('playbook', 'playbook', [CompletionResultType]::ParameterValue, 'List, show, lint and test playbooks')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sentinel;help;investigate' {
            break
        }
        'sentinel;help;checklist' {
            break
        }
        'sentinel;help;mitigate' {
            break
        }
        'sentinel;help;postmortem' {
            break
        }
        'sentinel;help;similar' {
            break
        }
        'sentinel;help;ingest' {
            break
        }
        'sentinel;help;incidents' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored incidents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove one')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove old ones')
            break
        }
        'sentinel;help;incidents;list' {
            break
        }
        'sentinel;help;incidents;show' {
            break
        }
        'sentinel;help;incidents;rm' {
            break
        }
        'sentinel;help;incidents;prune' {
            break
        }
        'sentinel;help;store' {
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Create or upgrade the Postgres schema')
            break
        }
        'sentinel;help;store;migrate' {
            break
        }
        'sentinel;help;playbook' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List playbooks with their source (builtin or custom)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one playbook''s YAML')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run each playbook''s examples through the ranking')
            break
        }
        'sentinel;help;playbook;list' {
            break
        }
        'sentinel;help;playbook;show' {
            break
        }
        'sentinel;help;playbook;lint' {
            break
        }
        'sentinel;help;playbook;test' {
            break
        }
        'sentinel;help;completions' {
            break
        }
        'sentinel;help;man' {
            break
        }
        'sentinel;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
