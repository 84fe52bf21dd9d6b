"""L2 learning switch for os-ken, OpenFlow 1.3: the controller application of the agent tests.

It installs a table-miss flow to the controller, learns source MACs from packet-ins, and once a
destination is known installs an exact in_port/eth_src/eth_dst flow so later frames stay in the
switch. Written for the tests; the same file drives the hostplane switch and Open vSwitch.
Prints one line per event on stdout (flushed) so a test can follow what it did.
"""
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3


def say(*words):
    print(*words, flush=True)


class L2Learning(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tables = {}

    def add_flow(self, dp, priority, match, actions, buffer_id=None, idle=0):
        parser = dp.ofproto_parser
        ofp = dp.ofproto
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        kwargs = dict(datapath=dp, priority=priority, match=match, instructions=inst, idle_timeout=idle)
        if buffer_id is not None and buffer_id != ofp.OFP_NO_BUFFER:
            kwargs['buffer_id'] = buffer_id
        dp.send_msg(parser.OFPFlowMod(**kwargs))

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_features(self, ev):
        dp = ev.msg.datapath
        parser = dp.ofproto_parser
        ofp = dp.ofproto
        self.add_flow(dp, 0, parser.OFPMatch(), [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)])
        say('CONNECTED dpid=%016x' % dp.id)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def on_packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        parser = dp.ofproto_parser
        ofp = dp.ofproto
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        table = self.tables.setdefault(dp.id, {})
        if table.get(eth.src) != in_port:
            table[eth.src] = in_port
            say('LEARN dpid=%016x mac=%s port=%d' % (dp.id, eth.src, in_port))
        out_port = table.get(eth.dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_src=eth.src, eth_dst=eth.dst)
            self.add_flow(dp, 1, match, actions, msg.buffer_id, idle=60)
            say('FLOW dpid=%016x in_port=%d %s->%s output:%d' % (dp.id, in_port, eth.src, eth.dst, out_port))
            if msg.buffer_id != ofp.OFP_NO_BUFFER:
                return
        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=msg.buffer_id, in_port=in_port, actions=actions,
                                        data=data))
