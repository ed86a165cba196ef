package io.scanwatch.job.sink.search;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/** Buffered documents in a checkpoint, as plain bytes: index, id, then the JSON. */
public final class BulkActionSerializer extends AsyncSinkWriterStateSerializer<BulkAction> {
    @Override
    protected void serializeRequestToStream(BulkAction action, DataOutputStream out) throws IOException {
        out.writeUTF(action.index());
        out.writeUTF(action.id());
        out.writeInt(action.document().length);
        out.write(action.document());
    }

    @Override
    protected BulkAction deserializeRequestFromStream(long size, DataInputStream in) throws IOException {
        String index = in.readUTF();
        String id = in.readUTF();
        byte[] document = new byte[in.readInt()];
        in.readFully(document);
        return new BulkAction(index, id, document);
    }

    @Override
    public int getVersion() {
        return 1;
    }
}
