package org.cavi.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration, shipped to the executors that read the data: the file
 * systems' settings the user gave (spark.hadoop.*, core-site.xml; S3 credentials, say) reach them.
 */
final class ShippedConf implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    ShippedConf(Configuration conf) {
        this.conf = conf;
    }

    Configuration get() { return conf; }

    private void writeObject(ObjectOutputStream out) throws IOException {
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException {
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
