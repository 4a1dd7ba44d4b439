// sl_files.f — the RTL file list in dependency order (paths relative to this directory).
sl_pkg.sv
sl_ram.sv
sl_fifo.sv
sl_neuron.sv
sl_axil.sv
sl_core.sv
sl_top.sv
