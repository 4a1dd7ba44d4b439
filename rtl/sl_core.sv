// sl_core — the spikeline core (docs/spec.md §5): step sequencer, update sweep (one neuron per
// clock, three stages: RAM read, neuron stage 1, neuron stage 2 + writes), fan-out walker with the pipelined ring read-modify-write (one synaptic entry per
// clock, forwarding for back-to-back hits on one ring word), state and table clear engines,
// and the configuration registers and memory windows behind the host bus (docs/rtl.md).
module sl_core
#(
  parameter int InputAw   = sl_pkg::DefInputAw,
  parameter int NeuronAw  = sl_pkg::DefNeuronAw,
  parameter int SrcAw     = sl_pkg::DefSrcAw,
  parameter int DepthAw   = sl_pkg::DefDepthAw,
  parameter int RowCapAw  = sl_pkg::DefRowCapAw,
  parameter int SynAw     = sl_pkg::DefSynAw,
  parameter int ReadoutAw = sl_pkg::DefReadoutAw,
  parameter int PopAw     = sl_pkg::DefPopAw,
  // 0 = the real core. Deliberately wrong variants, for proving the regression catches bugs
  // (docs/rtl.md, verification): 1 = no ring forwarding, 2 = every delay one step too long,
  // 3 = a ring slot wraps instead of saturating where the sweep reads it, 4 = the output
  // FIFO's credit check lets one spike too many in (dropped when the consumer stalls),
  // 5 = reserved entry bits 30:26 are not checked, 6 = partial write strobes are taken as
  // full writes, 7 = a write to ERR clears every bit, 8 = SPIKES counts end-of-step words
  // too, 9 = a population that neither spikes nor is read out keeps V at 0 (from the third
  // population on).
  // 99 = one build for all of them: the variant is the +sl_bug=N plusarg (default 0).
  parameter int BugMode   = 0
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // host bus requests (sl_axil)
  input  logic        bus_req_i,
  input  logic        bus_we_i,
  input  logic        bus_full_i,
  input  logic [20:0] bus_addr_i,
  input  logic [31:0] bus_wdata_i,
  output logic        bus_ack_o,
  output logic        bus_err_o,
  output logic [31:0] bus_rdata_o,
  // event stream in
  input  logic [31:0] in_data_i,
  input  logic        in_valid_i,
  output logic        in_ready_o,
  // spike stream out
  output logic [31:0] out_data_o,
  output logic        out_valid_o,
  input  logic        out_ready_i
);
  localparam int NPops   = 1 << PopAw;
  localparam int RingAw  = NeuronAw + DepthAw;
  localparam int CntW    = NeuronAw + 1;       // a neuron count 0 .. 2^NeuronAw
  localparam int LenW    = RowCapAw + 1;       // a row length 0 .. 2^RowCapAw
  localparam int ClrW0   = (SynAw > RingAw) ? SynAw : RingAw;
  localparam int ClrW    = ((ClrW0 > ReadoutAw) ? ClrW0 : ReadoutAw) + 1;
  localparam int TblW    = SrcAw + 1 + RowCapAw; // sources << log2(C)
  localparam int PqW     = SrcAw + 8;

  // The variant in force. With BugMode 0..9 a constant, so every bug term folds away.
  int bug;
  if (BugMode == 99) begin : g_bug_plusarg
    int bug_rt;
    initial if (!$value$plusargs("sl_bug=%d", bug_rt)) bug_rt = 0;
    assign bug = bug_rt;
  end else begin : g_bug_param
    assign bug = BugMode;
  end

  localparam logic [1:0] StWait = 2'd0, StSweep = 2'd1, StDeliver = 2'd2, StClear = 2'd3;
  localparam logic [1:0] BsIdle = 2'd0, BsRead = 2'd1, BsSyn = 2'd2, BsResp = 2'd3;

  // ------------------------------------------------------------------------------------------
  // Configuration registers
  // ------------------------------------------------------------------------------------------
  logic              enable_q;
  logic [InputAw:0]  cfg_nin_q;
  logic [CntW-1:0]   cfg_nneu_q;
  logic [PopAw:0]    cfg_npops_q;
  logic [2:0]        cfg_dlog2_q;
  logic [3:0]        cfg_clog2_q;
  logic [NPops*CntW-1:0] pop_count_q;
  logic [NPops*13-1:0]   pop_leak_q;
  logic [NPops*24-1:0]   pop_thr_q;
  logic [NPops*3-1:0]    pop_mode_q;
  logic [sl_pkg::ErrBits-1:0]    err_q;
  logic [20:0]           err_addr_q;

  // Derived configuration.
  logic [SrcAw:0]       n_src;
  logic [DepthAw-1:0]   depth_mask;
  logic [CntW+PopAw:0]  count_sum, readout_sum;
  logic [TblW-1:0]      table_words;
  logic                 cfg_ok;

  assign n_src       = (SrcAw+1)'(cfg_nin_q) + (SrcAw+1)'(cfg_nneu_q);
  assign depth_mask  = DepthAw'(~({DepthAw{1'b1}} << cfg_dlog2_q));
  assign table_words = TblW'(n_src) << cfg_clog2_q;

  // (Local sums, assigned once: Icarus re-triggers an always_comb that reads its own outputs.)
  always_comb begin : p_sums
    logic [CntW+PopAw:0] cs, rs;
    cs = '0;
    rs = '0;
    for (int p = 0; p < NPops; p++) begin
      if (PopAw'(p) < cfg_npops_q[PopAw-1:0] || cfg_npops_q[PopAw]) begin
        cs = cs + (CntW+PopAw+1)'(pop_count_q[p*CntW +: CntW]);
        if (pop_mode_q[p*3 + sl_pkg::ModeReadout])
          rs = rs + (CntW+PopAw+1)'(pop_count_q[p*CntW +: CntW]);
      end
    end
    count_sum   = cs;
    readout_sum = rs;
  end

  assign cfg_ok = (cfg_npops_q != '0) && (count_sum == (CntW+PopAw+1)'(cfg_nneu_q)) &&
                  (readout_sum <= (CntW+PopAw+1)'(1 << ReadoutAw)) &&
                  (n_src <= (SrcAw+1)'(1 << SrcAw)) &&
                  (table_words <= TblW'(1 << SynAw));

  // ------------------------------------------------------------------------------------------
  // Memories
  // ------------------------------------------------------------------------------------------
  logic              syn_we;   logic [SynAw-1:0]    syn_wa, syn_ra;   logic [31:0] syn_wd, syn_rd;
  logic              len_we;   logic [SrcAw-1:0]    len_wa, len_ra;   logic [LenW-1:0] len_wd, len_rd;
  logic              ring_we;  logic [RingAw-1:0]   ring_wa, ring_ra; logic [31:0] ring_wd, ring_rd;
  logic              v_we;     logic [NeuronAw-1:0] v_wa, v_ra;       logic [23:0] v_wd, v_rd;
  logic              sc_we;    logic [ReadoutAw-1:0] sc_wa, sc_ra;    logic [39:0] sc_wd, sc_rd;
  logic              spk_we;   logic [NeuronAw-1:0] spk_wa, spk_ra;   logic [NeuronAw-1:0] spk_wd, spk_rd;

  sl_ram #(.Width(32), .AddrW(SynAw), .InitArg("sl_syn")) u_syn (
    .clk_i, .we_i(syn_we), .waddr_i(syn_wa), .wdata_i(syn_wd), .raddr_i(syn_ra), .rdata_o(syn_rd));
  sl_ram #(.Width(LenW), .AddrW(SrcAw), .InitArg("sl_rowlen")) u_rowlen (
    .clk_i, .we_i(len_we), .waddr_i(len_wa), .wdata_i(len_wd), .raddr_i(len_ra), .rdata_o(len_rd));
  sl_ram #(.Width(32), .AddrW(RingAw), .InitArg("sl_ring")) u_ring (
    .clk_i, .we_i(ring_we), .waddr_i(ring_wa), .wdata_i(ring_wd), .raddr_i(ring_ra), .rdata_o(ring_rd));
  sl_ram #(.Width(24), .AddrW(NeuronAw), .InitArg("sl_v")) u_v (
    .clk_i, .we_i(v_we), .waddr_i(v_wa), .wdata_i(v_wd), .raddr_i(v_ra), .rdata_o(v_rd));
  sl_ram #(.Width(40), .AddrW(ReadoutAw), .InitArg("sl_score")) u_score (
    .clk_i, .we_i(sc_we), .waddr_i(sc_wa), .wdata_i(sc_wd), .raddr_i(sc_ra), .rdata_o(sc_rd));
  sl_ram #(.Width(NeuronAw), .AddrW(NeuronAw), .InitArg("sl_spk")) u_spk (
    .clk_i, .we_i(spk_we), .waddr_i(spk_wa), .wdata_i(spk_wd), .raddr_i(spk_ra), .rdata_o(spk_rd));

  // ------------------------------------------------------------------------------------------
  // Step sequencer state
  // ------------------------------------------------------------------------------------------
  logic [1:0]       st_q;
  logic [sl_pkg::StepW-1:0] t_q;
  logic [DepthAw-1:0] slot_now;   // t mod D
  assign slot_now = t_q[DepthAw-1:0] & depth_mask;

  // Output FIFO (spike words and end-of-step words).
  logic        of_push, of_full, of_empty;
  logic [31:0] of_din;
  logic [3:0]  of_count;
  sl_fifo #(.Width(32), .Aw(3)) u_out_fifo (
    .clk_i, .rst_ni, .clr_i(1'b0), .push_i(of_push), .data_i(of_din), .pop_i(out_ready_i),
    .data_o(out_data_o), .empty_o(of_empty), .full_o(of_full), .count_o(of_count));
  assign out_valid_o = !of_empty;

  // ---- Update sweep ----
  logic [CntW-1:0]      sw_n_q;     // next neuron to issue
  logic [PopAw-1:0]     sw_p_q;     // its population
  logic [CntW-1:0]      sw_pend_q;  // first neuron after population sw_p_q
  logic [ReadoutAw-1:0] sw_k_q;     // next readout class
  logic                 sw_issue;
  logic                 s1_valid_q, s1_ro_q;
  logic [NeuronAw-1:0]  s1_n_q;
  logic [PopAw-1:0]     s1_p_q;
  logic [ReadoutAw-1:0] s1_k_q;
  logic                 s2_valid_q, s2_ro_q;  // second neuron stage: V', score and spike writes
  logic                 s1_quiet_q, s2_quiet_q; // population >= 2, neither SPIKING nor READOUT (bug 9)
  logic [NeuronAw-1:0]  s2_n_q;
  logic [ReadoutAw-1:0] s2_k_q;
  logic [CntW-1:0]      nspk_q;     // spikes of this step (entries in u_spk)
  logic                 sw_ro;
  logic signed [23:0]   nu_v;
  logic                 nu_spike;

  assign sw_ro    = pop_mode_q[32'(sw_p_q)*3 + sl_pkg::ModeReadout];
  // Issue while neurons remain and the output FIFO has room for this and the two in flight.
  assign sw_issue = (st_q == StSweep) && (sw_n_q < cfg_nneu_q) && (of_count <= (bug == 4 ? 4'd6 : 4'd5));

  // Stage 1 sees the RAM reads of neuron s1_n_q; its update comes out for s2_n_q.
  sl_neuron u_neuron (
    .clk_i, .rst_ni,
    .v_i(v_rd), .ring_i(bug == 3 ? 32'($signed(ring_rd[23:0])) : ring_rd),
    .leak_i(pop_leak_q[32'(s1_p_q)*13 +: 13]),
    .thr_i(pop_thr_q[32'(s1_p_q)*24 +: 24]),
    .reset_sub_i(pop_mode_q[32'(s1_p_q)*3 + sl_pkg::ModeResetSub]),
    .spiking_i(pop_mode_q[32'(s1_p_q)*3 + sl_pkg::ModeSpiking]),
    .v_o(nu_v), .spike_o(nu_spike));

  // ---- Delivery: spike reader, prefetch queue, walker, ring RMW pipeline ----
  logic [CntW-1:0] sr_idx_q;
  logic            sr_inflight_q, sr_issue, sr_done;
  logic            pq_push, pq_pop, pq_empty, pq_full;
  logic [PqW-1:0]  pq_din, pq_dout;
  logic [2:0]      pq_count;
  sl_fifo #(.Width(PqW), .Aw(2)) u_pq (
    .clk_i, .rst_ni, .clr_i(1'b0), .push_i(pq_push), .data_i(pq_din), .pop_i(pq_pop),
    .data_o(pq_dout), .empty_o(pq_empty), .full_o(pq_full), .count_o(pq_count));

  logic             wk_busy_q, eos_q;
  logic [SynAw-1:0] wk_base_q;
  logic [SrcAw-1:0] wk_src_q;     // source of the row being walked (holds u_rowlen's read)
  logic [LenW-1:0]  wk_k_q;
  logic [7:0]       wk_pay_q;
  logic             wk_more, wk_take, in_take, in_is_eos, in_ok, in_accept;
  logic [SrcAw-1:0] take_src;
  logic [7:0]       take_pay;
  logic [SynAw-1:0] take_base;
  logic             w1_valid_q;
  logic [7:0]       w1_pay_q;
  logic             w2_valid_q;
  logic [RingAw-1:0] w2_addr_q;
  logic signed [15:0] w2_contrib_q;
  logic             fwd_valid_q;
  logic [RingAw-1:0] fwd_addr_q;
  logic [31:0]      fwd_data_q;
  logic             w1_ent_valid;
  logic [NeuronAw-1:0] w1_tgt;
  logic [DepthAw-1:0]  w1_slot;
  logic signed [15:0]  w1_contrib;
  logic [31:0]      w2_old, w2_new;
  logic             w2_ovf, dl_done;

  assign sr_done  = (sr_idx_q == nspk_q) && !sr_inflight_q;
  assign sr_issue = (st_q == StDeliver) && (sr_idx_q != nspk_q) && !pq_full &&
                    (32'(pq_count) + 32'(sr_inflight_q) < 32'd3);
  assign pq_push  = sr_inflight_q;
  assign pq_din   = {SrcAw'(cfg_nin_q) + SrcAw'(spk_rd), 8'd1};

  assign wk_more   = wk_busy_q && (wk_k_q < len_rd);
  assign in_is_eos = (in_data_i == sl_pkg::InEos);
  assign in_ok     = !in_data_i[31] && (in_data_i[30:24] == 7'd0) && (in_data_i[23:16] != 8'd0) &&
                     (in_data_i[15:0] < 16'(cfg_nin_q));
  // The walker is free when its row is finished; it then takes a spike, else an input word.
  assign pq_pop    = (st_q == StDeliver) && !wk_more && !pq_empty;
  assign in_accept = (st_q == StDeliver) && !wk_more && pq_empty && sr_done && !eos_q;
  assign in_ready_o = in_accept;
  assign in_take   = in_accept && in_valid_i && in_ok;
  assign wk_take   = pq_pop || in_take;
  assign take_src  = pq_pop ? pq_dout[PqW-1:8] : SrcAw'(in_data_i[15:0]);
  assign take_pay  = pq_pop ? pq_dout[7:0] : in_data_i[23:16];
  assign take_base = SynAw'(TblW'(take_src) << cfg_clog2_q);

  // W1: the entry word is in syn_rd.
  assign w1_ent_valid = syn_rd[31];
  assign w1_tgt       = syn_rd[16 +: NeuronAw];
  assign w1_slot      = (bug == 2) ? (t_q[DepthAw-1:0] + DepthAw'(2) + syn_rd[8 +: DepthAw]) & depth_mask
                                       : (t_q[DepthAw-1:0] + DepthAw'(1) + syn_rd[8 +: DepthAw]) & depth_mask;
  assign w1_contrib   = 16'($signed(syn_rd[7:0]) * $signed({1'b0, w1_pay_q}));

  // W2: the old ring word is in ring_rd, unless the previous write went to the same address.
  assign w2_old = (bug != 1 && fwd_valid_q && fwd_addr_q == w2_addr_q) ? fwd_data_q : ring_rd;
  assign w2_new = w2_old + 32'(w2_contrib_q);
  assign w2_ovf = w2_valid_q && (w2_old[31] == w2_contrib_q[15]) && (w2_new[31] != w2_old[31]);

  assign dl_done = eos_q && !wk_more && !w1_valid_q && !w2_valid_q;

  // ---- Clear engine ----
  logic [ClrW-1:0] clr_i_q, clr_last;
  logic            clr_state_q, clr_table_q;
  always_comb begin : p_clr_last
    logic [ClrW-1:0] sl, tl, l;
    sl = ClrW'(cfg_nneu_q) << DepthAw;
    if (sl < ClrW'(1 << ReadoutAw)) sl = ClrW'(1 << ReadoutAw);
    sl = sl - ClrW'(1);
    tl = ClrW'(1 << SynAw) - ClrW'(1);
    l = '0;
    if (clr_state_q) l = sl;
    if (clr_table_q && tl > l) l = tl;
    clr_last = l;
  end

  // ------------------------------------------------------------------------------------------
  // Host bus decode
  // ------------------------------------------------------------------------------------------
  logic [18:0] wa;
  logic        reg_sel, syn_sel, ring_sel, v_sel, sc_sel, win_sel, idx_ok;
  logic [17:0] widx;
  logic [SrcAw-1:0] bus_src;
  logic [LenW-1:0]  bus_slot1;   // slot + 1
  logic        syn_entry_ok;
  logic [1:0]  bs_q;
  logic        bus_go;
  logic [31:0] reg_rdata;
  logic        reg_wr_err;      // register write refused (range or busy)
  logic [sl_pkg::ErrBits-1:0] reg_err_bits, reg_err_all;

  assign wa       = bus_addr_i[20:2];
  assign syn_sel  = wa[18];
  assign ring_sel = (wa[18:17] == 2'b01);
  assign v_sel    = (wa[18:16] == 3'b001);
  assign sc_sel   = (wa[18:15] == 4'b0001);
  assign reg_sel  = (wa[18:15] == 4'b0000);
  assign win_sel  = !reg_sel;
  assign widx     = syn_sel ? wa[17:0] : ring_sel ? {1'b0, wa[16:0]} :
                    v_sel ? {2'b0, wa[15:0]} : {3'b0, wa[14:0]};
  assign bus_go   = bus_req_i && (bs_q == BsIdle);
  assign bus_src  = SrcAw'(TblW'(widx) >> cfg_clog2_q);
  assign bus_slot1 = LenW'(widx & ~(18'h3FFFF << cfg_clog2_q)) + LenW'(1);

  always_comb begin
    idx_ok = 1'b0;
    if (syn_sel)       idx_ok = (widx < 18'(1 << SynAw)) && (TblW'(widx) < table_words);
    else if (ring_sel) idx_ok = (widx < 18'(1 << RingAw));
    else if (v_sel)    idx_ok = (widx < 18'(1 << NeuronAw));
    else if (sc_sel)   idx_ok = (widx < 18'(2 << ReadoutAw)) && !bus_we_i;
  end

  // A legal entry: the word 0, or valid with zero reserved bits, target < n_neurons, d < D.
  assign syn_entry_ok = (bus_wdata_i == 32'd0) ||
      (bus_wdata_i[31] && (bug == 5 || bus_wdata_i[30:26] == 5'd0) && (bus_wdata_i[15:13] == 3'd0) &&
       (11'(bus_wdata_i[25:16]) < 11'(cfg_nneu_q)) &&
       (bus_wdata_i[12:8] <= 5'(depth_mask)));

  // ------------------------------------------------------------------------------------------
  // Memory port multiplexing. The bus owns the ports only while the core waits (StWait).
  // ------------------------------------------------------------------------------------------
  logic bus_full;   // all four write strobes (bug 6: any)
  assign bus_full = bus_full_i || bug == 6;
  logic win_wr_ok;
  assign win_wr_ok = bus_go && win_sel && bus_we_i && bus_full && (bus_addr_i[1:0] == 2'b00) &&
                     (st_q == StWait) && idx_ok;

  always_comb begin
    // defaults: bus addresses (only meaningful in StWait), no writes
    syn_ra  = SynAw'(widx);
    len_ra  = bus_src;
    ring_ra = RingAw'(widx);
    v_ra    = NeuronAw'(widx);
    sc_ra   = ReadoutAw'(widx >> 1);
    spk_ra  = NeuronAw'(sr_idx_q);
    syn_we = 1'b0;  syn_wa = SynAw'(widx);     syn_wd = bus_wdata_i;
    len_we = 1'b0;  len_wa = bus_src;          len_wd = bus_slot1;
    ring_we = 1'b0; ring_wa = RingAw'(widx);   ring_wd = bus_wdata_i;
    v_we = 1'b0;    v_wa = NeuronAw'(widx);    v_wd = bus_wdata_i[23:0];
    sc_we = 1'b0;   sc_wa = s2_k_q;            sc_wd = sc_rd + 40'($signed(nu_v));
    spk_we = 1'b0;  spk_wa = NeuronAw'(nspk_q); spk_wd = s2_n_q;

    unique case (st_q)
      StWait: begin
        if (win_wr_ok && syn_sel && syn_entry_ok) syn_we = 1'b1;
        if (win_wr_ok && ring_sel) ring_we = 1'b1;
        if (win_wr_ok && v_sel && (bus_wdata_i[31:23] == {9{bus_wdata_i[23]}})) v_we = 1'b1;
        // second cycle of a synapse write: extend the row length
        if (bs_q == BsSyn && bus_wdata_i != 32'd0 && bus_slot1 > len_rd) len_we = 1'b1;
      end
      StSweep: begin
        ring_ra = {NeuronAw'(sw_n_q), slot_now};
        v_ra    = NeuronAw'(sw_n_q);
        sc_ra   = s1_k_q;   // read one clock later: the score is added in stage 2
        ring_we = s2_valid_q;  ring_wa = {s2_n_q, slot_now};  ring_wd = 32'd0;
        v_we    = s2_valid_q && !(bug == 9 && s2_quiet_q);  v_wa = s2_n_q;  v_wd = nu_v;
        sc_we   = s2_valid_q && s2_ro_q;
        spk_we  = s2_valid_q && nu_spike;
      end
      StDeliver: begin
        syn_ra  = wk_more ? wk_base_q + SynAw'(wk_k_q) : take_base;
        len_ra  = wk_take ? take_src : wk_src_q;
        ring_ra = {w1_tgt, w1_slot};
        ring_we = w2_valid_q;  ring_wa = w2_addr_q;  ring_wd = w2_new;
      end
      StClear: begin
        if (clr_state_q) begin
          ring_we = (clr_i_q < (ClrW'(cfg_nneu_q) << DepthAw));  ring_wa = RingAw'(clr_i_q);  ring_wd = '0;
          v_we  = (clr_i_q[DepthAw-1:0] == '0) && (clr_i_q < (ClrW'(cfg_nneu_q) << DepthAw));
          v_wa  = NeuronAw'(clr_i_q >> DepthAw);  v_wd = '0;
          sc_we = (clr_i_q < ClrW'(1 << ReadoutAw));  sc_wa = ReadoutAw'(clr_i_q);  sc_wd = '0;
        end
        if (clr_table_q) begin
          syn_we = 1'b1;                           syn_wa = SynAw'(clr_i_q);  syn_wd = '0;
          len_we = (clr_i_q < ClrW'(1 << SrcAw));  len_wa = SrcAw'(clr_i_q);  len_wd = '0;
        end
      end
      default: ;
    endcase
  end

  // ------------------------------------------------------------------------------------------
  // Output FIFO writes: spikes from the sweep, end-of-step words from delivery
  // ------------------------------------------------------------------------------------------
  logic eos_emit;
  assign eos_emit = (st_q == StDeliver) && dl_done && !of_full;
  always_comb begin
    of_push = 1'b0;
    of_din  = {6'd0, 10'(s2_n_q), t_q};
    if (st_q == StSweep && s2_valid_q && nu_spike) of_push = 1'b1;
    else if (eos_emit) begin
      of_push = 1'b1;
      of_din  = {1'b1, 4'd0, 11'(nspk_q), t_q};
    end
  end

  // ------------------------------------------------------------------------------------------
  // Performance counters
  // ------------------------------------------------------------------------------------------
  logic [63:0] pc_cyc_q;
  logic [31:0] pc_busy_q, pc_sweep_q, pc_deliv_q, pc_stall_q, pc_events_q, pc_synops_q;
  logic [31:0] pc_spikes_q, pc_steps_q, pc_inbad_q;
  logic        did_work;
  assign did_work = sw_issue || wk_more || wk_take;

  // ------------------------------------------------------------------------------------------
  // Register read mux and write checks
  // ------------------------------------------------------------------------------------------
  logic [9:0]       ridx;
  logic [PopAw-1:0] rpop;
  logic [1:0]       rfld;
  logic             rpop_sel;
  assign ridx     = wa[9:0];
  assign rpop_sel = (wa[14:10] == 5'd0) && (ridx >= sl_pkg::RegPopBase) && (ridx < sl_pkg::RegPopBase + 10'(4 * NPops));
  assign rpop     = PopAw'((ridx - sl_pkg::RegPopBase) >> 2);
  assign rfld     = ridx[1:0];

  always_comb begin
    reg_rdata = 32'd0;
    reg_err_bits = '0;
    reg_wr_err = 1'b0;
    if (wa[14:10] != 5'd0) begin
      reg_err_bits[sl_pkg::ErrBusAddr] = 1'b1;
    end else if (rpop_sel) begin
      unique case (rfld)
        2'd0: reg_rdata = 32'(pop_count_q[32'(rpop)*CntW +: CntW]);
        2'd1: reg_rdata = 32'(pop_leak_q[32'(rpop)*13 +: 13]);
        2'd2: reg_rdata = 32'($signed(pop_thr_q[32'(rpop)*24 +: 24]));
        default: reg_rdata = 32'(pop_mode_q[32'(rpop)*3 +: 3]);
      endcase
      if (bus_we_i) begin
        if (st_q != StWait) reg_err_bits[sl_pkg::ErrBusBusy] = 1'b1;
        else unique case (rfld)
          2'd0: reg_wr_err = (bus_wdata_i == 32'd0) || (bus_wdata_i > 32'(1 << NeuronAw));
          2'd1: reg_wr_err = (bus_wdata_i > 32'd4096);
          2'd2: reg_wr_err = (bus_wdata_i == 32'd0) || (bus_wdata_i > 32'h7F_FFFF);
          default: reg_wr_err = (bus_wdata_i > 32'd7);
        endcase
      end
    end else begin
      unique case (ridx)
        sl_pkg::RegId:       reg_rdata = sl_pkg::IdValue;
        sl_pkg::RegVersion:  reg_rdata = sl_pkg::VersionValue;
        sl_pkg::RegCaps:     reg_rdata = {4'(PopAw), 4'(ReadoutAw), 3'd0, 5'(SynAw), 4'(RowCapAw),
                                  4'(DepthAw), 4'(NeuronAw), 4'(InputAw)};
        sl_pkg::RegVariant:  reg_rdata = 32'(bug);
        sl_pkg::RegCtrl:     reg_rdata = {31'd0, enable_q};
        sl_pkg::RegStatus:   reg_rdata = {t_q, 11'd0, cfg_ok, st_q == StDeliver, st_q == StSweep,
                                  st_q == StClear, st_q == StWait};
        sl_pkg::RegErr:      reg_rdata = 32'(err_q);
        sl_pkg::RegErrAddr:  reg_rdata = 32'(err_addr_q);
        sl_pkg::RegNInputs:  reg_rdata = 32'(cfg_nin_q);
        sl_pkg::RegNNeurons: reg_rdata = 32'(cfg_nneu_q);
        sl_pkg::RegNPops:    reg_rdata = 32'(cfg_npops_q);
        sl_pkg::RegDepthLog2:  reg_rdata = 32'(cfg_dlog2_q);
        sl_pkg::RegRowCapLog2: reg_rdata = 32'(cfg_clog2_q);
        sl_pkg::RegNReadouts:  reg_rdata = 32'(readout_sum);
        sl_pkg::RegCycLo:    reg_rdata = pc_cyc_q[31:0];
        sl_pkg::RegCycHi:    reg_rdata = pc_cyc_q[63:32];
        sl_pkg::RegBusyCyc:  reg_rdata = pc_busy_q;
        sl_pkg::RegSweepCyc: reg_rdata = pc_sweep_q;
        sl_pkg::RegDelivCyc: reg_rdata = pc_deliv_q;
        sl_pkg::RegStallCyc: reg_rdata = pc_stall_q;
        sl_pkg::RegEvents:   reg_rdata = pc_events_q;
        sl_pkg::RegSynops:   reg_rdata = pc_synops_q;
        sl_pkg::RegSpikes:   reg_rdata = pc_spikes_q;
        sl_pkg::RegSteps:    reg_rdata = pc_steps_q;
        sl_pkg::RegInBad:    reg_rdata = pc_inbad_q;
        default:     reg_err_bits[sl_pkg::ErrBusAddr] = 1'b1;
      endcase
      if (bus_we_i) begin
        unique case (ridx)
          sl_pkg::RegCtrl: begin
            if (st_q != StWait && (bus_wdata_i[sl_pkg::CtrlClearState] || bus_wdata_i[sl_pkg::CtrlClearTable]))
              reg_err_bits[sl_pkg::ErrBusBusy] = 1'b1;
          end
          sl_pkg::RegErr: ;
          sl_pkg::RegNInputs, sl_pkg::RegNNeurons, sl_pkg::RegNPops, sl_pkg::RegDepthLog2, sl_pkg::RegRowCapLog2: begin
            if (st_q != StWait) reg_err_bits[sl_pkg::ErrBusBusy] = 1'b1;
            else unique case (ridx)
              sl_pkg::RegNInputs:   reg_wr_err = (bus_wdata_i == 32'd0) || (bus_wdata_i > 32'(1 << InputAw));
              sl_pkg::RegNNeurons:  reg_wr_err = (bus_wdata_i == 32'd0) || (bus_wdata_i > 32'(1 << NeuronAw));
              sl_pkg::RegNPops:     reg_wr_err = (bus_wdata_i == 32'd0) || (bus_wdata_i > 32'(NPops));
              sl_pkg::RegDepthLog2: reg_wr_err = (bus_wdata_i == 32'd0) || (bus_wdata_i > 32'(DepthAw));
              default:      reg_wr_err = (bus_wdata_i > 32'(RowCapAw));
            endcase
          end
          default: reg_err_bits[sl_pkg::ErrBusAddr] = 1'b1;  // read-only or unmapped
        endcase
      end
    end
  end
  assign reg_err_all = reg_err_bits | (reg_wr_err ? sl_pkg::ErrBits'(1 << sl_pkg::ErrBadValue) : '0);

  // ------------------------------------------------------------------------------------------
  // Sequential logic
  // ------------------------------------------------------------------------------------------
  logic start_step;
  assign start_step = (st_q == StWait) && enable_q && in_valid_i && cfg_ok && (bs_q == BsIdle) &&
                      !bus_req_i;

  logic [sl_pkg::ErrBits-1:0] err_set;   // sticky error sources of this cycle
  logic [sl_pkg::ErrBits-1:0] bus_err_bits;
  logic               bus_win_rd;

  always_comb begin
    bus_err_bits = '0;
    bus_win_rd   = 1'b0;
    if (bus_go) begin
      if (bus_addr_i[1:0] != 2'b00 || (bus_we_i && !bus_full)) bus_err_bits[sl_pkg::ErrBusAddr] = 1'b1;
      else if (reg_sel) bus_err_bits = reg_err_all;
      else if (st_q != StWait) bus_err_bits[sl_pkg::ErrBusBusy] = 1'b1;
      else if (!idx_ok) bus_err_bits[sl_pkg::ErrBusAddr] = 1'b1;
      else if (bus_we_i) begin
        if (syn_sel && !syn_entry_ok) bus_err_bits[sl_pkg::ErrBadValue] = 1'b1;
        if (v_sel && bus_wdata_i[31:23] != {9{bus_wdata_i[23]}}) bus_err_bits[sl_pkg::ErrBadValue] = 1'b1;
      end else bus_win_rd = 1'b1;
    end
  end

  always_comb begin
    err_set = bus_err_bits;
    if (st_q == StDeliver && in_accept && in_valid_i && !in_ok && !in_is_eos) err_set[sl_pkg::ErrInProto] = 1'b1;
    if (w2_ovf && st_q == StDeliver) err_set[sl_pkg::ErrRingOvf] = 1'b1;
    if (st_q == StWait && enable_q && in_valid_i && !cfg_ok) err_set[sl_pkg::ErrCfg] = 1'b1;
  end

  logic bus_reg_wr;  // a register write that is carried out
  assign bus_reg_wr = bus_go && reg_sel && bus_we_i && bus_full && (bus_addr_i[1:0] == 2'b00) &&
                      (reg_err_all == '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      enable_q    <= 1'b0;
      cfg_nin_q   <= (InputAw+1)'(1);
      cfg_nneu_q  <= CntW'(1);
      cfg_npops_q <= (PopAw+1)'(1);
      cfg_dlog2_q <= 3'd1;
      cfg_clog2_q <= 4'd0;
      pop_count_q <= '0;
      pop_leak_q  <= '0;
      pop_thr_q   <= '0;
      pop_mode_q  <= '0;
      err_q       <= '0;
      err_addr_q  <= '0;
      st_q        <= StWait;
      t_q         <= '0;
      bs_q        <= BsIdle;
      bus_ack_o   <= 1'b0;
      bus_err_o   <= 1'b0;
      bus_rdata_o <= '0;
      sw_n_q <= '0; sw_p_q <= '0; sw_pend_q <= '0; sw_k_q <= '0;
      s1_valid_q <= 1'b0; s1_ro_q <= 1'b0; s1_n_q <= '0; s1_p_q <= '0; s1_k_q <= '0;
      s2_valid_q <= 1'b0; s2_ro_q <= 1'b0; s2_n_q <= '0; s2_k_q <= '0;
      s1_quiet_q <= 1'b0; s2_quiet_q <= 1'b0;
      nspk_q <= '0;
      sr_idx_q <= '0; sr_inflight_q <= 1'b0;
      wk_busy_q <= 1'b0; eos_q <= 1'b0; wk_base_q <= '0; wk_src_q <= '0; wk_k_q <= '0; wk_pay_q <= '0;
      w1_valid_q <= 1'b0; w1_pay_q <= '0;
      w2_valid_q <= 1'b0; w2_addr_q <= '0; w2_contrib_q <= '0;
      fwd_valid_q <= 1'b0; fwd_addr_q <= '0; fwd_data_q <= '0;
      clr_i_q <= '0; clr_state_q <= 1'b0; clr_table_q <= 1'b0;
      pc_cyc_q <= '0; pc_busy_q <= '0; pc_sweep_q <= '0; pc_deliv_q <= '0; pc_stall_q <= '0;
      pc_events_q <= '0; pc_synops_q <= '0; pc_spikes_q <= '0; pc_steps_q <= '0; pc_inbad_q <= '0;
    end else begin
      // ---- sticky errors ----
      err_q <= err_q | err_set;
      if (bus_err_bits != '0) err_addr_q <= bus_addr_i;

      // ---- host bus ----
      bus_ack_o <= 1'b0;
      unique case (bs_q)
        BsIdle: begin
          if (bus_go) begin
            bus_err_o   <= (bus_err_bits != '0);
            bus_rdata_o <= reg_rdata;
            if (bus_win_rd) bs_q <= BsRead;
            else if (bus_we_i && syn_sel && !reg_sel && bus_err_bits == '0) bs_q <= BsSyn;
            else begin
              bs_q      <= BsResp;
            end
          end
        end
        BsRead: begin
          if (syn_sel)       bus_rdata_o <= syn_rd;
          else if (ring_sel) bus_rdata_o <= ring_rd;
          else if (v_sel)    bus_rdata_o <= 32'($signed(v_rd));
          else               bus_rdata_o <= widx[0] ? 32'($signed(sc_rd[39:32])) : sc_rd[31:0];
          bs_q <= BsResp;
        end
        BsSyn: bs_q <= BsResp;
        default: begin  // BsResp
          bus_ack_o <= 1'b1;
          bs_q      <= BsIdle;
        end
      endcase

      // register writes
      if (bus_reg_wr) begin
        if (rpop_sel) begin
          unique case (rfld)
            2'd0: pop_count_q[32'(rpop)*CntW +: CntW] <= CntW'(bus_wdata_i);
            2'd1: pop_leak_q[32'(rpop)*13 +: 13]      <= bus_wdata_i[12:0];
            2'd2: pop_thr_q[32'(rpop)*24 +: 24]       <= bus_wdata_i[23:0];
            default: pop_mode_q[32'(rpop)*3 +: 3]     <= bus_wdata_i[2:0];
          endcase
        end else begin
          unique case (ridx)
            sl_pkg::RegCtrl:       enable_q <= bus_wdata_i[sl_pkg::CtrlEnable];
            sl_pkg::RegErr:        err_q <= (bug == 7 ? '0 : err_q & ~bus_wdata_i[sl_pkg::ErrBits-1:0]) | err_set;
            sl_pkg::RegNInputs:    cfg_nin_q   <= (InputAw+1)'(bus_wdata_i);
            sl_pkg::RegNNeurons:   cfg_nneu_q  <= CntW'(bus_wdata_i);
            sl_pkg::RegNPops:      cfg_npops_q <= (PopAw+1)'(bus_wdata_i);
            sl_pkg::RegDepthLog2:  cfg_dlog2_q <= bus_wdata_i[2:0];
            sl_pkg::RegRowCapLog2: cfg_clog2_q <= bus_wdata_i[3:0];
            default: ;
          endcase
        end
      end

      // ---- performance counters ----
      pc_cyc_q <= pc_cyc_q + 64'd1;
      if (st_q == StSweep || st_q == StDeliver) begin
        pc_busy_q <= pc_busy_q + 32'd1;
        if (!did_work) pc_stall_q <= pc_stall_q + 32'd1;
      end
      if (st_q == StSweep) pc_sweep_q <= pc_sweep_q + 32'd1;
      if (st_q == StDeliver) pc_deliv_q <= pc_deliv_q + 32'd1;
      if (in_take) pc_events_q <= pc_events_q + 32'd1;
      if (st_q == StDeliver && w1_valid_q && w1_ent_valid) pc_synops_q <= pc_synops_q + 32'd1;
      if (bug == 8 ? of_push : (st_q == StSweep && s2_valid_q && nu_spike)) pc_spikes_q <= pc_spikes_q + 32'd1;
      if (eos_emit) pc_steps_q <= pc_steps_q + 32'd1;
      if (err_set[sl_pkg::ErrInProto]) pc_inbad_q <= pc_inbad_q + 32'd1;
      if (bus_reg_wr && !rpop_sel && ridx == sl_pkg::RegCtrl && bus_wdata_i[sl_pkg::CtrlClearCount]) begin
        pc_cyc_q <= '0; pc_busy_q <= '0; pc_sweep_q <= '0; pc_deliv_q <= '0; pc_stall_q <= '0;
        pc_events_q <= '0; pc_synops_q <= '0; pc_spikes_q <= '0; pc_steps_q <= '0; pc_inbad_q <= '0;
      end

      // ---- step sequencer ----
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      w1_valid_q <= 1'b0;
      w2_valid_q <= 1'b0;
      fwd_valid_q <= w2_valid_q;
      fwd_addr_q  <= w2_addr_q;
      fwd_data_q  <= w2_new;
      sr_inflight_q <= 1'b0;
      unique case (st_q)
        StWait: begin
          if (bus_reg_wr && !rpop_sel && ridx == sl_pkg::RegCtrl &&
              (bus_wdata_i[sl_pkg::CtrlClearState] || bus_wdata_i[sl_pkg::CtrlClearTable])) begin
            st_q        <= StClear;
            clr_i_q     <= '0;
            clr_state_q <= bus_wdata_i[sl_pkg::CtrlClearState];
            clr_table_q <= bus_wdata_i[sl_pkg::CtrlClearTable];
          end else if (start_step) begin
            st_q      <= StSweep;
            sw_n_q    <= '0;
            sw_p_q    <= '0;
            sw_pend_q <= pop_count_q[0 +: CntW];
            sw_k_q    <= '0;
            nspk_q    <= '0;
          end
        end
        StSweep: begin
          if (sw_issue) begin
            s1_valid_q <= 1'b1;
            s1_n_q     <= NeuronAw'(sw_n_q);
            s1_p_q     <= sw_p_q;
            s1_k_q     <= sw_k_q;
            s1_ro_q    <= sw_ro;
            s1_quiet_q <= !sw_ro && !pop_mode_q[32'(sw_p_q)*3 + sl_pkg::ModeSpiking] && sw_p_q >= PopAw'(2);
            sw_n_q     <= sw_n_q + CntW'(1);
            if (sw_ro) sw_k_q <= sw_k_q + ReadoutAw'(1);
            if (sw_n_q + CntW'(1) == sw_pend_q && sw_p_q != PopAw'(NPops - 1)) begin
              sw_p_q    <= sw_p_q + PopAw'(1);
              sw_pend_q <= sw_pend_q + pop_count_q[(32'(sw_p_q) + 32'd1)*CntW +: CntW];
            end
          end
          s2_valid_q <= s1_valid_q;
          s2_n_q     <= s1_n_q;
          s2_k_q     <= s1_k_q;
          s2_ro_q    <= s1_ro_q;
          s2_quiet_q <= s1_quiet_q;
          if (s2_valid_q && nu_spike) nspk_q <= nspk_q + CntW'(1);
          if (!sw_issue && sw_n_q >= cfg_nneu_q && !s1_valid_q && !s2_valid_q) begin
            st_q      <= StDeliver;
            sr_idx_q  <= '0;
            wk_busy_q <= 1'b0;
            eos_q     <= 1'b0;
          end
        end
        StDeliver: begin
          if (sr_issue) begin
            sr_idx_q      <= sr_idx_q + CntW'(1);
            sr_inflight_q <= 1'b1;
          end
          if (wk_more) begin
            wk_k_q     <= wk_k_q + LenW'(1);
            w1_valid_q <= 1'b1;
            w1_pay_q   <= wk_pay_q;
          end else if (wk_take) begin
            wk_busy_q  <= 1'b1;
            wk_base_q  <= take_base;
            wk_src_q   <= take_src;
            wk_k_q     <= LenW'(1);
            wk_pay_q   <= take_pay;
            w1_valid_q <= 1'b1;
            w1_pay_q   <= take_pay;
          end else begin
            wk_busy_q <= 1'b0;
            if (in_accept && in_valid_i && in_is_eos) eos_q <= 1'b1;
          end
          if (w1_valid_q && w1_ent_valid) begin
            w2_valid_q   <= 1'b1;
            w2_addr_q    <= {w1_tgt, w1_slot};
            w2_contrib_q <= w1_contrib;
          end
          if (eos_emit) begin
            st_q <= StWait;
            t_q  <= t_q + sl_pkg::StepW'(1);
          end
        end
        default: begin  // StClear
          clr_i_q <= clr_i_q + ClrW'(1);
          if (clr_i_q == clr_last) begin
            st_q        <= StWait;
            clr_state_q <= 1'b0;
            clr_table_q <= 1'b0;
            if (clr_state_q) t_q <= '0;
          end
        end
      endcase
    end
  end
endmodule
