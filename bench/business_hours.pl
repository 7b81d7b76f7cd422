#!/usr/bin/perl
# Replays the first N cases of calendar_bench through Business::Hours (Request Tracker's
# SLA engine), with the same calendar and holidays, and compares the answers.
# usage: TZ=America/Sao_Paulo perl business_hours.pl CASES_FILE N
use strict;
use warnings;
use Business::Hours;
use Time::HiRes qw(time);

my ($file, $n) = @ARGV;
my $hours = Business::Hours->new();
my %day = (Start => '09:00', End => '17:00', Breaks => [{ Start => '12:00', End => '13:00' }]);
$hours->business_hours(
    0 => { Name => 'Sunday', Start => undef, End => undef },
    1 => { Name => 'Monday', %day },
    2 => { Name => 'Tuesday', %day },
    3 => { Name => 'Wednesday', %day },
    4 => { Name => 'Thursday', %day },
    5 => { Name => 'Friday', %day },
    6 => { Name => 'Saturday', Start => undef, End => undef },
    holidays => [qw(2026-01-01 2026-02-16 2026-02-17 2026-04-03 2026-04-21 2026-05-01 2026-06-04 2026-09-07
                    2026-10-12 2026-11-02 2026-11-15 2026-11-20 2026-12-25 2027-01-01 2027-02-08 2027-02-09
                    2027-03-26 2027-04-21 2027-05-01 2027-05-27)],
);
open my $fh, '<', $file or die "$file: $!";
my @cases;
while (my $line = <$fh>) {
    last if @cases >= $n;
    push @cases, [split ' ', $line];
}
my ($add_time, $el_time, $add_diff, $el_diff) = (0, 0, 0, 0);
for my $c (@cases) {
    my ($start, $secs, $end, $due, $elapsed) = @$c;
    my $t0 = time;
    my $got = $hours->add_seconds($start, $secs);
    my $t1 = time;
    $hours->for_timespan(Start => $start, End => $end);
    my $el = $hours->between($start, $end);
    my $t2 = time;
    $add_time += $t1 - $t0;
    $el_time += $t2 - $t1;
    $add_diff++ if $got != $due;
    # Business::Hours counts the seconds of [start, end] inclusive; ours is [start, end).
    $el_diff++ if abs($el - $elapsed) > 1;
}
my $count = scalar @cases;
printf "business_hours cases=%d add_ns=%.1f elapsed_ns=%.1f add_disagreements=%d elapsed_disagreements=%d\n",
    $count, 1e9 * $add_time / $count, 1e9 * $el_time / $count, $add_diff, $el_diff;
