package io.scanwatch.job.correlate;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.util.OutputTag;

/**
 * Flink's CEP operator, minus its one leak: it writes a key's NFA state back after every timer even when the NFA is
 * at its start again, so every key it ever saw keeps an entry. Scanner addresses are short-lived keys by the
 * million. After each event-time timer this operator drops that entry when no partial match holds an event, no
 * match is pending and no element waits for the watermark; the next element for the key starts from a fresh NFA,
 * exactly as the first one did. The two states are CEP's own, found by the names it registers them under.
 */
final class QuietKeyCleaningCepOperator<IN, KEY, OUT> extends CepOperator<IN, KEY, OUT> {
    private static final String NFA_STATE_NAME = "nfaStateName";
    private static final String EVENT_QUEUE_STATE_NAME = "eventQueuesStateName";

    private final TypeSerializer<IN> inputSerializer;
    private transient ValueState<NFAState> nfaStates;
    private transient MapState<Long, java.util.List<IN>> waiting;

    QuietKeyCleaningCepOperator(
            TypeSerializer<IN> inputSerializer,
            NFACompiler.NFAFactory<IN> nfaFactory,
            AfterMatchSkipStrategy skipStrategy,
            PatternProcessFunction<IN, OUT> function,
            EventComparator<IN> order,
            OutputTag<IN> lateTag) {
        super(inputSerializer, false, nfaFactory, order, skipStrategy, function, lateTag);
        this.inputSerializer = inputSerializer;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        nfaStates = context.getKeyedStateStore()
                .getState(new ValueStateDescriptor<>(NFA_STATE_NAME, new NFAStateSerializer()));
        waiting = context.getKeyedStateStore()
                .getMapState(new MapStateDescriptor<>(
                        EVENT_QUEUE_STATE_NAME, LongSerializer.INSTANCE, new ListSerializer<>(inputSerializer)));
    }

    @Override
    public void onEventTime(InternalTimer<KEY, VoidNamespace> timer) throws Exception {
        super.onEventTime(timer);
        if (userFunction instanceof ScanThenLogonMatch logons) {
            logons.flush();
        }
        NFAState state = nfaStates.value();
        if (state != null && state.getCompletedMatches().isEmpty() && atStart(state) && waiting.isEmpty()) {
            nfaStates.clear();
        }
    }

    private static boolean atStart(NFAState state) {
        for (ComputationState partial : state.getPartialMatches()) {
            if (partial.getPreviousBufferEntry() != null || partial.getStartEventID() != null) {
                return false;
            }
        }
        return true;
    }
}
