# sl_hls_dryrun.tcl — runs run_hls.tcl under plain tclsh with the Vitis HLS commands
# stubbed, printing each call: checks the script's Tcl, its parameters and that every file
# it names exists. CI has no Vitis; this catches a broken script before someone with Vitis
# does.   tclsh hls/sl_hls_dryrun.tcl [key=value ...]   (same parameters as run_hls.tcl)
set status 0
foreach cmd {open_project set_top open_solution set_part create_clock config_export
             csim_design csynth_design cosim_design export_design} {
  proc $cmd {args} [format {puts "vitis: %s $args"} $cmd]
}
proc add_files {args} {
  set f [lindex [lsearch -inline -not -all $args -*] 0]
  if {[lindex $args 0] eq "-tb"} { set f [lindex $args 1] }
  if {![file exists $f]} { puts "dryrun: missing file $f"; set ::status 1 }
  puts "vitis: add_files $f"
}
rename exit real_exit
proc exit {args} {}
source [file join [file dirname [info script]] run_hls.tcl]
if {$status} { puts "dryrun: FAIL" } else { puts "dryrun: ok (part $part, clock $clock ns, steps $steps)" }
real_exit $status
