# The three AnySeg distillation terms with the weights of the authors' released run
# (lambda=50, alpha=5, beta=10: zhengxuJosh/AnySeg, configs/muses.yaml names its checkpoint
# ..._MaD50_UMD5_CMD10/..., configs/deliver_rgbdel.yaml saves to ..._mad50_UMD5_CMD10_...),
# at the per-element scale: the authors' repository releases no loss code, and the only public
# code computing these terms with these weights on AnySeg's model, RobustSeg (a third party;
# tools/train_deliver_mad50_proto_cur.py, semseg/models/segformer/UMD.py), uses the
# per-element mean of nn.KLDivLoss (docs/paper_vs_code.md, "Loss scales").
# eq. 6: pixel KL at the input resolution where the authors' model compares its logits
# (seg_block_select_UMD.py upsamples before any loss), exactly nn.KLDivLoss(reduction='mean');
# channel_reduction='sum' is eq. 6 read literally (ablations/*_kl-sum.py).
mad_loss = dict(type='ModalityAgnosticDistillLoss', loss_weight=50.0, channel_reduction='mean',
                resolution='input')
# eq. 4: channel-softmax KL, the element mean per stage and kept modality, summed over stages
# and kept modalities, divided by the batch size.
umd_loss = dict(type='UnimodalDistillLoss', loss_weight=5.0, channel_reduction='mean',
                modality_reduction='sum')
# eq. 5 as written: S_t log(S_t / S_s) on one similarity per modality pair and stage
# (flattened features, averaged over the samples that kept the pair), summed over pairs.
# mode='bernoulli' is this project's proper-KL reading (ablations/*_cmd-bernoulli.py).
cmd_loss = dict(type='CrossModalDistillLoss', loss_weight=10.0, granularity='global',
                mode='literal')
